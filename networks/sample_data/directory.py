"""The directory's sample organisations and networks (with their themes, working groups and
strategic lines), and the kinds they come in, by weight."""

from ..models import Network, Organisation, StrategicLine
from .common import bulk_insert, descriptions, names, weighted

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
