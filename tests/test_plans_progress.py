"""Progress: the share of scheduled action-years done, counted by queries, never stored."""

import pytest

from actions.models import Line, Plan, Progress, ScheduledYear
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("done", "scheduled", "percent"),
    [(0, 0, None), (0, 82, 0), (1, 3, 33), (2, 3, 66), (199, 200, 99), (5, 5, 100)],
)
def test_percent_is_rounded_down_so_100_means_all_done(done, scheduled, percent):
    assert Progress(scheduled=scheduled, done=done).percent == percent


def test_planned_is_what_is_left():
    assert Progress(scheduled=10, done=2, in_progress=3, not_done=1).planned == 4


def test_progress_per_line_and_per_plan_on_a_hand_made_plan():
    # Line 1: 1 of 3 done; line 2: 2 of 4 done, 1 in progress; line 3: no actions.
    plan = make_plan(
        {
            1: [[(2020, "done"), 2021], [(2022, "not_done")]],
            2: [[(2020, "done"), (2021, "done"), (2022, "in_progress"), 2023]],
            3: [],
        }
    )
    lines = {line.number: line for line in Line.objects.filter(plan=plan).with_progress()}
    assert lines[1].progress == Progress(scheduled=3, done=1, not_done=1)
    assert lines[1].progress.percent == 33
    assert lines[1].action_count == 2
    assert lines[2].progress == Progress(scheduled=4, done=2, in_progress=1)
    assert lines[2].progress.percent == 50
    assert lines[3].progress == Progress() and lines[3].progress.percent is None
    annotated = Plan.objects.with_progress().get(pk=plan.pk)
    assert annotated.progress == Progress(scheduled=7, done=3, in_progress=1, not_done=1)
    assert annotated.progress.percent == 42
    assert (annotated.line_count, annotated.action_count) == (3, 3)
    # Without annotations, the same figures come from one query.
    assert Plan.objects.get(pk=plan.pk).progress == annotated.progress


def test_progress_follows_edits_because_it_is_not_stored():
    plan = make_plan({1: [[2020, 2021]]})
    assert Plan.objects.with_progress().get(pk=plan.pk).progress.done == 0
    ScheduledYear.objects.filter(year=2021, action__line__plan=plan).update(status="done")
    progress = Plan.objects.with_progress().get(pk=plan.pk).progress
    assert (progress.done, progress.scheduled, progress.percent) == (1, 2, 50)


def test_other_to_many_joins_do_not_inflate_the_counts(seeded):
    """Actions linked to several networks and organisations still count each year once."""
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    counted = (
        Plan.objects.filter(pk=plan.pk, lines__actions__organisations__isnull=False)
        .with_progress()
        .get()
    )
    linked = ScheduledYear.objects.filter(
        action__line__plan=plan, action__organisations__isnull=False
    )
    scheduled = ScheduledYear.objects.of_plan(plan).count()
    assert counted.progress.scheduled == linked.distinct().count() < scheduled
    assert Plan.objects.with_progress().get(pk=plan.pk).progress.scheduled == scheduled


def test_progress_by_year():
    plan = make_plan({1: [[(2020, "done"), 2021], [2020]]})
    by_year = ScheduledYear.objects.of_plan(plan).progress_by_year()
    assert by_year == {2020: Progress(scheduled=2, done=1), 2021: Progress(scheduled=1)}
