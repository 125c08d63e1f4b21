"""Sample events, with the networks involved, their organisers and themes."""

from datetime import timedelta

from ..models import Event
from .common import bulk_insert, descriptions, names

EVENT_KINDS = [
    ("Jornada", "Conference"),
    ("Seminari", "Seminar"),
    ("Fira", "Fair"),
    ("Trobada", "Meeting"),
]


def generate_events(ctx, themes, places):
    rng = ctx.rng
    n = max(1, ctx.organisations // 20)
    networks = ctx.network_ids
    organisations = ctx.organisation_ids
    homes = [ctx.municipality() for _ in range(n)]
    theme_of = [rng.choice(ctx.theme_ids) for _ in range(n)]
    kinds = [rng.choice(EVENT_KINDS) for _ in range(n)]

    def rows():
        for i in range(n):
            ca_word, en_word = kinds[i]
            title = names(ca_word, en_word, ctx.number(i + 1))
            start = ctx.today + timedelta(days=rng.randint(-3650, 365))
            yield Event(
                title_ca=title["name_ca"],
                title_en=title["name_en"],
                slug_ca=title["slug_ca"],
                slug_en=title["slug_en"],
                start_date=start,
                end_date=start + timedelta(days=1) if rng.random() < 0.2 else None,
                municipality_id=homes[i],
                place_ca=f"Espai de mostra {i % 97 + 1}",
                place_en=f"Sample venue {i % 97 + 1}",
                online=rng.random() < 0.1,
                **descriptions(themes[theme_of[i]], places[homes[i]]),
            )

    event_ids = bulk_insert(Event, rows())
    # The biggest networks take part in many events, as big networks do.
    involved = (
        Event.networks.through(
            event_id=pk, network_id=networks[0] if rng.random() < 0.1 else rng.choice(networks)
        )
        for pk in event_ids
    )
    bulk_insert(Event.networks.through, involved)
    organisers = (
        Event.organisers.through(event_id=pk, organisation_id=org)
        for pk in event_ids
        for org in rng.sample(organisations, rng.randint(1, 2))
    )
    bulk_insert(Event.organisers.through, organisers)
    bulk_insert(
        Event.themes.through,
        (
            Event.themes.through(event_id=pk, theme_id=t)
            for pk, t in zip(event_ids, theme_of, strict=True)
        ),
    )
    ctx.counts["events"] = n
