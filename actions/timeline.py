"""The timeline grid of a plan: its actions, grouped by line, against the plan's years.

The grid is assembled in Python from three flat query results (lines, actions, scheduled
years), so the number of queries does not grow with the number of actions.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .models import ScheduledYear

# Each status is shown with a symbol and its name, never by colour alone.
STATUS_SYMBOLS = {
    ScheduledYear.Status.PLANNED: "○",
    ScheduledYear.Status.IN_PROGRESS: "◐",
    ScheduledYear.Status.DONE: "✔",
    ScheduledYear.Status.NOT_DONE: "✘",
    ScheduledYear.Status.NOT_REPORTED: "?",
}


def status_legend():
    return [(status, status.label, STATUS_SYMBOLS[status]) for status in ScheduledYear.Status]


@dataclass
class Cell:
    year: int
    scheduled: ScheduledYear | None = None

    @property
    def symbol(self):
        return STATUS_SYMBOLS[self.scheduled.status] if self.scheduled else ""


@dataclass
class Row:
    action: object
    cells: list


@dataclass
class Group:
    line: object
    rows: list = field(default_factory=list)


@dataclass
class Grid:
    years: list
    groups: list

    @property
    def action_count(self):
        return sum(len(group.rows) for group in self.groups)


def build_grid(*, lines, actions, scheduled_years, years, only_matching):
    """Lines → actions → one cell per year.

    ``scheduled_years`` are the cells to fill (already filtered). With ``only_matching``
    (a year or status filter is on), actions with no such cell are left out, and so are
    lines left with no action; otherwise every action of the given lines is shown.
    """
    by_action = defaultdict(dict)
    for scheduled in scheduled_years:
        by_action[scheduled.action_id][scheduled.year] = scheduled
    groups = {line.pk: Group(line) for line in lines}
    for action in actions:
        group = groups.get(action.line_id)
        cells_by_year = by_action.get(action.pk, {})
        if group is None or (only_matching and not cells_by_year):
            continue
        action.line = group.line  # already loaded: no query per action for its code or URL
        group.rows.append(Row(action, [Cell(year, cells_by_year.get(year)) for year in years]))
    kept = [group for group in groups.values() if group.rows or not only_matching]
    return Grid(years=years, groups=kept)
