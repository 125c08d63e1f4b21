"""Progress: scheduled action-years by status, counted by queries, never stored.

Progress is stated as outcomes reported ("n of m reported"), with the share that has no
outcome reported, never as a share done that reads "nothing was done" when the sources
are silent."""

import pytest

from actions.models import Line, Plan, Progress, ScheduledYear
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [(0, 0, None), (0, 82, 0), (82, 82, 100), (1, 3, 33), (2, 3, 67), (1, 300, 1), (299, 300, 99)],
)
def test_shares_are_0_or_100_only_when_exactly_none_or_all(part, whole, percent):
    progress = Progress(scheduled=whole, not_reported=part, done=whole - part)
    assert progress.not_reported_share == percent
    assert progress.reported_share == (None if percent is None else 100 - percent)


def test_reported_counts_done_in_progress_and_not_done_and_planned_is_what_is_left():
    progress = Progress(scheduled=12, done=2, in_progress=3, not_done=1, not_reported=2)
    assert progress.reported == 6
    assert progress.planned == 4


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
    assert lines[1].progress.reported == 2
    assert lines[1].action_count == 2
    assert lines[2].progress == Progress(scheduled=4, done=2, in_progress=1)
    assert lines[2].progress.reported_share == 75
    assert lines[3].progress == Progress() and lines[3].progress.reported_share is None
    annotated = Plan.objects.with_progress().get(pk=plan.pk)
    assert annotated.progress == Progress(scheduled=7, done=3, in_progress=1, not_done=1)
    assert annotated.progress.reported == 5
    assert (annotated.line_count, annotated.action_count) == (3, 3)
    # Without annotations, the same figures come from one query.
    assert Plan.objects.get(pk=plan.pk).progress == annotated.progress


def test_progress_follows_edits_because_it_is_not_stored():
    plan = make_plan({1: [[2020, 2021]]})
    assert Plan.objects.with_progress().get(pk=plan.pk).progress.done == 0
    ScheduledYear.objects.filter(year=2021, action__line__plan=plan).update(status="done")
    progress = Plan.objects.with_progress().get(pk=plan.pk).progress
    assert (progress.done, progress.reported, progress.scheduled) == (1, 1, 2)
    ScheduledYear.objects.filter(year=2020, action__line__plan=plan).update(status="not_reported")
    progress = Plan.objects.with_progress().get(pk=plan.pk).progress
    assert (progress.not_reported, progress.planned, progress.not_reported_share) == (1, 0, 50)


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


def test_the_seed_plan_reports_no_outcome_rather_than_nothing_done(seeded):
    """The sources give the years each action was scheduled for, never how it went."""
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    progress = Plan.objects.with_progress().get(pk=plan.pk).progress
    scheduled = ScheduledYear.objects.of_plan(plan).count()
    assert progress == Progress(scheduled=scheduled, not_reported=scheduled)
    assert (progress.reported, progress.planned, progress.not_reported_share) == (0, 0, 100)
    assert plan.has_ended
