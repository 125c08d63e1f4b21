"""Sample memberships: three networks with 20–25 % of all organisations as members, the rest
spread by a Pareto law, and networks of municipalities."""

from ..models import Membership
from .common import bulk_insert


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
