"""Synthetic sample data at scale, for benchmarks and load tests (never for the real site).

Everything made here is clearly synthetic in both languages ("Cooperativa Mostra 00042" /
"Sample Cooperative 00042") and carries a marker: every slug starts with ``mostra-`` in
Catalan and ``sample-`` in English. ``clear()`` removes only rows with that marker (and
the rows that hang off them), so the real seed content is never touched.

Direction rule: ``networks`` never imports ``actions``. Other apps add their part through
``register(provider)`` from their ``AppConfig.ready()`` (``actions`` does it for plans and
actions). A provider has ``generate(context)`` (called after the directory part, so it can
use its organisations, networks and municipalities) and ``clear()`` (called before the
directory part is removed, since plans protect their owners).

Speed: rows are written with ``bulk_create`` in batches from generators, so memory stays flat
and no per-row ``full_clean`` or history row is made; removal uses raw deletes for the same
reason (a normal delete would write one history record per removed row).

Longer than our usual 300 lines on purpose: one generator per kind of entry, read top to
bottom, with the proportions in one place.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.text import slugify

from .models import (
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    StrategicLine,
    Theme,
)

CA_PREFIX = "mostra-"
EN_PREFIX = "sample-"
BATCH = 2000

_providers = []


def register(provider):
    """Add another app's part (an object with ``generate(context)`` and ``clear()``)."""
    if provider not in _providers:
        _providers.append(provider)


def providers():
    return list(_providers)


def is_sample(prefix="slug"):
    """The marker as a lookup on a model with per-language slugs."""
    return Q(**{f"{prefix}_ca__startswith": CA_PREFIX})


def raw_delete(queryset):
    # A plain delete() would send a signal and write a history record per row (hundreds of
    # thousands): sample rows are removed without either. ``_raw_delete`` is what Django's
    # own deletion collector uses for such fast deletes.
    return queryset._raw_delete(queryset.db)


def bulk_insert(model, rows):
    """Insert an iterable of unsaved instances in batches; return the saved ones' ids."""
    ids = []
    for batch in itertools.batched(rows, BATCH):
        ids += [obj.pk for obj in model.objects.bulk_create(batch)]
    return ids


@dataclass
class Context:
    """What providers may use: the generator, the scale and what the directory part made."""

    rng: random.Random
    organisations: int
    width: int
    today: date
    municipality_ids: list
    barcelona_id: int | None
    theme_ids: list
    organisation_ids: list = field(default_factory=list)
    organisation_ids_by_kind: dict = field(default_factory=dict)
    network_ids: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def number(self, i):
        return f"{i:0{self.width}d}"

    def municipality(self):
        """A municipality id: Barcelona for about 1 in 20 (as in reality), else any."""
        if self.barcelona_id and self.rng.random() < 0.05:
            return self.barcelona_id
        return self.rng.choice(self.municipality_ids)


ORGANISATION_KINDS = [
    # kind, Catalan word, English word, weight
    (Organisation.Kind.COOPERATIVE, "Cooperativa", "Cooperative", 40),
    (Organisation.Kind.ASSOCIATION, "Associació", "Association", 28),
    (Organisation.Kind.FOUNDATION, "Fundació", "Foundation", 8),
    (Organisation.Kind.COMPANY, "Empresa", "Company", 8),
    (Organisation.Kind.INITIATIVE, "Iniciativa", "Initiative", 6),
    (Organisation.Kind.FEDERATION, "Federació", "Federation", 3),
    (Organisation.Kind.PUBLIC_BODY, "Ens públic", "Public Body", 4),
    (Organisation.Kind.UNIVERSITY, "Universitat", "University", 1),
    (Organisation.Kind.OTHER, "Entitat", "Organisation", 2),
]

NETWORK_KINDS = [
    (Network.Kind.NETWORK, "Xarxa", "Network", 50),
    (Network.Kind.COALITION, "Coalició", "Coalition", 10),
    (Network.Kind.CAMPAIGN, "Campanya", "Campaign", 10),
    (Network.Kind.CONSORTIUM, "Consorci", "Consortium", 5),
    (Network.Kind.MUNICIPAL_NETWORK, "Xarxa de municipis", "Municipal Network", 5),
    (Network.Kind.WORKING_GROUP, "Grup de treball", "Working Group", 20),
]

EVENT_KINDS = [
    ("Jornada", "Conference"),
    ("Seminari", "Seminar"),
    ("Fira", "Fair"),
    ("Trobada", "Meeting"),
]


def names(ca_word, en_word, number):
    """Names and slugs that cannot pass for a real entry, with the marker on each slug."""
    return {
        "name_ca": f"{ca_word} Mostra {number}",
        "name_en": f"Sample {en_word} {number}",
        "slug_ca": f"{CA_PREFIX}{slugify(ca_word)}-{number}",
        "slug_en": f"{EN_PREFIX}{slugify(en_word)}-{number}",
    }


def descriptions(theme, place):
    return {
        "description_ca": (
            f"Entrada de mostra, generada per a proves de càrrega: no és real. Treballa en "
            f"{theme.name_ca.lower()} dins l'economia social i solidària, a {place}."
        ),
        "description_en": (
            f"Sample entry generated for load tests: not real. Works on "
            f"{theme.name_en.lower()} in the social and solidarity economy, in {place}."
        ),
    }


def weighted(rng, table, count):
    return rng.choices(table, weights=[row[-1] for row in table], k=count)


def exists():
    """How many sample organisations there are (0: none made, or all cleared)."""
    return Organisation.objects.filter(is_sample()).count()


def clear():
    """Remove every sample row (providers' parts first); the seed content stays."""
    for provider in providers():
        provider.clear()
    organisations = Organisation.objects.filter(is_sample())
    networks = Network.objects.filter(is_sample())
    events = Event.objects.filter(is_sample())
    funders = Funder.objects.filter(is_sample())
    raw_delete(
        Funding.objects.filter(
            Q(funder__in=funders)
            | Q(network__in=networks)
            | Q(organisation__in=organisations)
            | Q(event__in=events)
        )
    )
    raw_delete(funders)
    raw_delete(
        Event.organisers.through.objects.filter(
            Q(organisation__in=organisations) | Q(event__in=events)
        )
    )
    raw_delete(Event.networks.through.objects.filter(Q(network__in=networks) | Q(event__in=events)))
    raw_delete(Event.themes.through.objects.filter(event__in=events))
    raw_delete(events)
    raw_delete(
        Membership.objects.filter(Q(network__in=networks) | Q(organisation__in=organisations))
    )
    raw_delete(StrategicLine.objects.filter(network__in=networks))
    raw_delete(Network.themes.through.objects.filter(network__in=networks))
    # Working groups point at their parent network, and networks at a host organisation.
    Network.objects.filter(Q(parent__in=networks) | Q(host__in=organisations)).update(
        parent=None, host=None
    )
    raw_delete(networks)
    raw_delete(Organisation.themes.through.objects.filter(organisation__in=organisations))
    Organisation.objects.filter(parent__in=organisations).update(parent=None)
    raw_delete(organisations)


def make_context(organisations, seed):
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    barcelona = Municipality.objects.filter(slug="barcelona").values_list("pk", flat=True).first()
    return Context(
        rng=random.Random(seed),
        organisations=organisations,
        width=max(5, len(str(organisations))),
        today=date.today(),
        municipality_ids=municipalities,
        barcelona_id=barcelona,
        theme_ids=list(Theme.objects.values_list("pk", flat=True)),
    )


def generate(context):
    """The directory's part, then each provider's; returns {what: how many rows}."""
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    places = dict(Municipality.objects.values_list("pk", "name"))
    generate_organisations(context, themes, places)
    generate_networks(context, themes)
    generate_memberships(context)
    generate_events(context, themes, places)
    generate_fundings(context)
    for provider in providers():
        provider.generate(context)
    return context.counts


def generate_organisations(ctx, themes, places):
    rng, n = ctx.rng, ctx.organisations
    kinds = weighted(rng, ORGANISATION_KINDS, n)
    # The first 947 go one to each municipality, so every municipality is used.
    homes = [
        ctx.municipality_ids[i] if i < len(ctx.municipality_ids) else ctx.municipality()
        for i in range(n)
    ]
    theme_of = [rng.choice(ctx.theme_ids) for _ in range(n)]

    def rows():
        for i in range(n):
            kind, ca_word, en_word, _weight = kinds[i]
            yield Organisation(
                kind=kind,
                municipality_id=homes[i],
                **names(ca_word, en_word, ctx.number(i + 1)),
                **descriptions(themes[theme_of[i]], places[homes[i]]),
            )

    ctx.organisation_ids = bulk_insert(Organisation, rows())
    for pk, (kind, *_rest) in zip(ctx.organisation_ids, kinds, strict=True):
        ctx.organisation_ids_by_kind.setdefault(kind, []).append(pk)
    through = Organisation.themes.through
    links = (
        through(organisation_id=pk, theme_id=theme)
        for pk, theme in zip(ctx.organisation_ids, theme_of, strict=True)
    )
    bulk_insert(through, links)
    ctx.counts["organisations"] = n


def generate_networks(ctx, themes):
    rng = ctx.rng
    n = max(4, ctx.organisations // 50)
    kinds = weighted(rng, NETWORK_KINDS, n)
    # The three biggest networks and the one of all municipalities are plain networks.
    kinds[:4] = [NETWORK_KINDS[0]] * 3 + [NETWORK_KINDS[4]]
    theme_of = [rng.choice(ctx.theme_ids) for _ in range(n)]

    def rows():
        for i in range(n):
            kind, ca_word, en_word, _weight = kinds[i]
            theme = themes[theme_of[i]]
            yield Network(
                kind=kind,
                scope=rng.choice(Network.Scope.values),
                acronym=f"MOSTRA{i + 1}",
                summary_ca=f"Xarxa de mostra sobre {theme.name_ca.lower()} (dades sintètiques).",
                summary_en=f"Sample network on {theme.name_en.lower()} (synthetic data).",
                host_id=rng.choice(ctx.organisation_ids) if rng.random() < 0.2 else None,
                **names(ca_word, en_word, ctx.number(i + 1)),
                **descriptions(theme, "Catalunya"),
            )

    ctx.network_ids = bulk_insert(Network, rows())
    # Working groups belong to one of the networks made before them.
    for i, pk in enumerate(ctx.network_ids):
        if kinds[i][0] == Network.Kind.WORKING_GROUP and i > 0:
            Network.objects.filter(pk=pk).update(parent_id=ctx.network_ids[rng.randrange(i)])
    through = Network.themes.through
    bulk_insert(
        through,
        (
            through(network_id=pk, theme_id=t)
            for pk, t in zip(ctx.network_ids, theme_of, strict=True)
        ),
    )
    lines = (
        StrategicLine(
            network_id=pk,
            number=number,
            title_ca=f"Línia de mostra {number}",
            title_en=f"Sample line {number}",
        )
        for pk in ctx.network_ids[:: max(1, n // 50)]
        for number in (1, 2, 3)
    )
    bulk_insert(StrategicLine, lines)
    ctx.counts["networks"] = n


def membership_years(rng):
    start = rng.randint(2005, 2025)
    end = rng.choice([None, None, None, start + rng.randint(0, 6)])
    return {"start_year": start, "end_year": end}


def generate_memberships(ctx):
    """3·N memberships: three networks of 20–25 % of all organisations, the rest spread."""
    rng, n = ctx.rng, ctx.organisations
    organisations, networks = ctx.organisation_ids, ctx.network_ids
    sizes = {networks[0]: n // 4, networks[1]: n * 22 // 100, networks[2]: n // 5}
    municipal = [networks[3]] + [
        pk for pk in networks[4:] if rng.random() < 0.05
    ]  # every municipality is in the first one
    municipal_rows = len(ctx.municipality_ids) + 60 * (len(municipal) - 1)
    rest = networks[3:]
    remaining = max(0, 3 * n - sum(sizes.values()) - municipal_rows)
    weights = [rng.paretovariate(1.5) for _ in rest]
    total = sum(weights)
    for pk, weight in zip(rest, weights, strict=True):
        sizes[pk] = min(len(organisations), max(2, round(remaining * weight / total)))

    def rows():
        roles = Membership.Role.values
        for network, size in sizes.items():
            for org in rng.sample(organisations, size):
                role = Membership.Role.MEMBER if rng.random() < 0.9 else rng.choice(roles)
                yield Membership(
                    network_id=network, organisation_id=org, role=role, **membership_years(rng)
                )
        for i, network in enumerate(municipal):
            chosen = ctx.municipality_ids if i == 0 else rng.sample(ctx.municipality_ids, 60)
            for municipality in chosen:
                yield Membership(
                    network_id=network, municipality_id=municipality, **membership_years(rng)
                )

    ctx.counts["memberships"] = len(bulk_insert(Membership, rows()))


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


FUNDER_KINDS = [
    (Funder.Kind.LOCAL_GOVERNMENT, "Finançador local", "Local Funder", 5),
    (Funder.Kind.REGIONAL_GOVERNMENT, "Finançador regional", "Regional Funder", 2),
    (Funder.Kind.EUROPEAN_UNION, "Programa europeu", "European Programme", 1),
    (Funder.Kind.FOUNDATION, "Fundació finançadora", "Funding Foundation", 2),
    (Funder.Kind.PRIVATE, "Finançador privat", "Private Funder", 1),
]


def generate_fundings(ctx):
    """N/2000 funders and N/20 fundings; the first funder pays for 40 % of them."""
    rng = ctx.rng
    kinds = weighted(rng, FUNDER_KINDS, max(2, ctx.organisations // 2000))
    funder_ids = bulk_insert(
        Funder,
        (
            Funder(kind=kind, **names(ca_word, en_word, ctx.number(i + 1)))
            for i, (kind, ca_word, en_word, _weight) in enumerate(kinds)
        ),
    )

    def rows():
        for _ in range(max(1, ctx.organisations // 20)):
            start = rng.randint(2010, 2025)
            target = (
                {"network_id": rng.choice(ctx.network_ids)}
                if rng.random() < 0.3
                else {"organisation_id": rng.choice(ctx.organisation_ids)}
            )
            yield Funding(
                funder_id=funder_ids[0] if rng.random() < 0.4 else rng.choice(funder_ids),
                start_year=start,
                end_year=start + rng.randint(0, 3),
                amount=rng.randint(1, 500) * 1000,
                description_ca="Finançament de mostra (dades sintètiques).",
                description_en="Sample funding (synthetic data).",
                **target,
            )

    ctx.counts["funders"] = len(funder_ids)
    ctx.counts["fundings"] = len(bulk_insert(Funding, rows()))
