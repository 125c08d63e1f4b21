"""The plans part of the synthetic sample data (see networks/sample_data/).

20 plans (two for Barcelona, one of them with a fifth of all actions, as big as a real city
plan gets), each over four years with axes and numbered lines, N/10 actions spread over
them, each scheduled in one to four of its plan's years with a status that fits the year.
Registered by ``ActionsConfig.ready()``: the ``networks`` command never imports this app.
"""

import math

from networks.models import Organisation
from networks.sample_data import CA_PREFIX, bulk_insert, names, raw_delete

from .models import Action, Axis, Line, Plan, ScheduledYear

PLANS = 20
LINES_PER_PLAN = 8
MAX_POSITION = 999


class PlansSampleData:
    def clear(self):
        plans = Plan.objects.filter(slug_ca__startswith=CA_PREFIX)
        actions = Action.objects.filter(line__plan__in=plans)
        raw_delete(ScheduledYear.objects.filter(action__in=actions))
        for through in (
            Action.networks.through,
            Action.organisations.through,
            Action.municipalities.through,
        ):
            raw_delete(through.objects.filter(action__in=actions))
        raw_delete(actions)
        raw_delete(Line.objects.filter(plan__in=plans))
        raw_delete(Axis.objects.filter(plan__in=plans))
        Plan.objects.filter(predecessor__in=plans).exclude(pk__in=plans).update(predecessor=None)
        Plan.objects.filter(pk__in=plans).update(predecessor=None)
        raw_delete(plans)
        # Links from real actions to sample entries go with the entries.
        for through, column in (
            (Action.networks.through, "network"),
            (Action.organisations.through, "organisation"),
        ):
            raw_delete(through.objects.filter(**{f"{column}__slug_ca__startswith": CA_PREFIX}))

    def generate(self, ctx):
        rng = ctx.rng
        owners = (
            ctx.organisation_ids_by_kind.get(Organisation.Kind.PUBLIC_BODY) or ctx.organisation_ids
        )
        places = [ctx.barcelona_id, ctx.barcelona_id, None, None]
        places += rng.sample(ctx.municipality_ids, PLANS - len(places))
        plans = []
        for i in range(PLANS):
            start = 2012 + rng.randrange(14)
            plan = names("Pla", "Plan", f"{i + 1:02d}")
            plans.append(
                Plan(
                    name_ca=f"{plan['name_ca']} d'economia social {start}–{start + 3}",
                    name_en=f"{plan['name_en']} for the social economy {start}–{start + 3}",
                    slug_ca=plan["slug_ca"],
                    slug_en=plan["slug_en"],
                    short_name_ca=f"Pla Mostra {i + 1:02d}",
                    short_name_en=f"Sample Plan {i + 1:02d}",
                    owner_id=rng.choice(owners),
                    municipality_id=places[i],
                    start_year=start,
                    end_year=start + 3,
                    description_ca="Pla de mostra, generat per a proves de càrrega: no és real.",
                    description_en="Sample plan generated for load tests: not real.",
                )
            )
        plans = Plan.objects.bulk_create(plans)
        total = max(PLANS, ctx.organisations // 10)
        # The first plan (Barcelona's) holds a fifth of all actions; the rest share the others.
        shares = [total // 5] + [0] * (PLANS - 1)
        for _ in range(total - shares[0]):
            shares[1 + rng.randrange(PLANS - 1)] += 1
        axes = Axis.objects.bulk_create(
            Axis(
                plan=plan,
                position=p,
                name_ca=f"Eix de mostra {p}",
                name_en=f"Sample axis {p}",
                objectives_ca="Objectiu de mostra",
                objectives_en="Sample objective",
            )
            for plan in plans
            for p in (1, 2, 3)
        )
        line_rows = []
        for index, plan in enumerate(plans):
            count = max(LINES_PER_PLAN, math.ceil(shares[index] / MAX_POSITION))
            line_rows += [
                Line(
                    plan=plan,
                    axis=axes[index * 3 + number % 3],
                    number=number,
                    title_ca=f"Línia de mostra {number}",
                    title_en=f"Sample line {number}",
                )
                for number in range(1, count + 1)
            ]
        lines = Line.objects.bulk_create(line_rows)
        lines_of = {}
        for line in lines:
            lines_of.setdefault(line.plan_id, []).append(line)

        placed = []  # (action row, plan)

        def rows():
            for index, plan in enumerate(plans):
                plan_lines = lines_of[plan.pk]
                for k in range(shares[index]):
                    line = plan_lines[k % len(plan_lines)]
                    placed.append(plan)
                    yield Action(
                        line=line,
                        position=k // len(plan_lines) + 1,
                        title_ca=f"Acció de mostra {k + 1} per a la cooperació i l'economia social",
                        title_en=f"Sample action {k + 1} for cooperation and the social economy",
                    )

        action_ids = bulk_insert(Action, rows())
        this_year = ctx.today.year

        def status(year):
            if year > this_year:
                return ScheduledYear.Status.PLANNED
            if year == this_year:
                return rng.choice([ScheduledYear.Status.PLANNED, ScheduledYear.Status.IN_PROGRESS])
            return rng.choice(
                [ScheduledYear.Status.DONE] * 3
                + [ScheduledYear.Status.NOT_DONE, ScheduledYear.Status.IN_PROGRESS]
            )

        def years():
            for pk, plan in zip(action_ids, placed, strict=True):
                first = rng.randint(plan.start_year, plan.end_year)
                for year in range(first, min(plan.end_year, first + rng.randint(0, 3)) + 1):
                    yield ScheduledYear(action_id=pk, year=year, status=status(year))

        scheduled = bulk_insert(ScheduledYear, years())
        links = [
            (Action.municipalities.through, "municipality_id", ctx.municipality, 0.3),
            (Action.networks.through, "network_id", lambda: rng.choice(ctx.network_ids), 0.2),
            (
                Action.organisations.through,
                "organisation_id",
                lambda: rng.choice(ctx.organisation_ids),
                0.2,
            ),
        ]
        for through, column, pick, share in links:
            bulk_insert(
                through,
                (
                    through(action_id=pk, **{column: target})
                    for pk in action_ids
                    if rng.random() < share
                    for target in {pick() for _ in range(rng.randint(1, 2))}
                ),
            )
        ctx.counts["plans"] = len(plans)
        ctx.counts["actions"] = len(action_ids)
        ctx.counts["scheduled years"] = len(scheduled)
