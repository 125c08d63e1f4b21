"""Sample funders, by kind and weight, and the fundings they gave."""

from ..models import Funder, Funding
from .common import bulk_insert, names, weighted

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
