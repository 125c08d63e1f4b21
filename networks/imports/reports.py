"""The report of an import: every row's outcome, the counts, and the file's own errors.

``RowResult`` is one row's outcome (created, changed, unchanged or error) with its changes
or its errors; ``read_header`` checks the file's first row before any row is read.

The report keeps counts for every row but details only for the first ``Report.SHOWN``
rows; every row's detail goes to ``sink`` as it is produced (the full report file, or the
command's output), so memory stays bounded whatever the file's length.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .versions import SHOWN as CONFLICTS_SHOWN
from .versions import Conflict

CREATED, CHANGED, UNCHANGED, ERROR = "created", "changed", "unchanged", "error"


@dataclass
class RowResult:
    row: int
    outcome: str
    label: str
    changes: list = field(default_factory=list)  # (column, old, new)
    errors: list = field(default_factory=list)  # (column, message)

    def outcome_display(self):
        return OUTCOMES[self.outcome]()


OUTCOMES = {
    CREATED: lambda: _("created"),
    CHANGED: lambda: _("changed"),
    UNCHANGED: lambda: _("no changes"),
    ERROR: lambda: _("error"),
}


class Report:
    SHOWN = 200

    def __init__(self, resource, file_name, sink=None):
        self.resource = resource
        self.file_name = file_name
        self.sink = sink
        self.counts = Counter()
        self.file_errors = []
        self.shown = []
        self.errors_shown = []
        self.record = None
        # Entries changed by someone else since the preview (see ``versions``).
        self.conflicts = []
        self.conflict_count = 0

    def add(self, result):
        self.counts[result.outcome] += 1
        if result.outcome == ERROR:
            if len(self.errors_shown) < self.SHOWN:
                self.errors_shown.append(result)
        elif result.outcome != UNCHANGED and len(self.shown) < self.SHOWN:
            self.shown.append(result)
        if self.sink is not None:
            self.sink(result)

    def add_conflict(self, row, label, describe):
        """``describe()`` runs (a few queries) only for the conflicts shown."""
        self.conflict_count += 1
        if len(self.conflicts) < CONFLICTS_SHOWN:
            self.conflicts.append(Conflict(row, label, describe()))

    @property
    def conflicts_not_shown(self):
        return self.conflict_count - len(self.conflicts)

    @property
    def rows(self):
        return sum(self.counts.values())

    @property
    def has_errors(self):
        return bool(self.file_errors or self.counts[ERROR] or self.conflict_count)

    @property
    def truncated(self):
        shown = len(self.shown) + len(self.errors_shown)
        return self.rows - self.counts[UNCHANGED] > shown

    def summary(self):
        return _(
            "%(rows)s rows: %(created)s to create, %(changed)s to change, "
            "%(unchanged)s with no changes, %(errors)s with errors."
        ) % {
            "rows": self.rows,
            "created": self.counts[CREATED],
            "changed": self.counts[CHANGED],
            "unchanged": self.counts[UNCHANGED],
            "errors": self.counts[ERROR],
        }


def error_text(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def read_header(resource, header, report):
    """[column or None] by position; file-level problems go to ``report.file_errors``."""
    columns, seen = [], set()
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").casefold()
        if not name:
            columns.append(None)
            continue
        column = resource.by_name.get(name)
        if column is None:
            report.file_errors.append(
                _(
                    "Column %(position)s, “%(name)s”, is not one this import knows: it would "
                    "be lost. Remove it or rename it to one of the columns listed below."
                )
                % {"position": index + 1, "name": raw.strip()}
            )
        elif name in seen:
            report.file_errors.append(
                _("The column “%(name)s” appears twice.") % {"name": raw.strip()}
            )
            column = None
        seen.add(name)
        columns.append(column)
    for name in resource.key:
        if name not in seen:
            report.file_errors.append(
                _("The column “%(name)s” is missing: it says which entry each row is.")
                % {"name": name}
            )
    for names in resource.translated_pairs().values():
        # The key column (slug_ca) alone is fine: it only says which entry the row is.
        present = [name for name in names if name in seen and name not in resource.key]
        if present and any(name not in seen for name in names):
            report.file_errors.append(
                _(
                    "The column “%(present)s” needs %(missing)s too: translated texts are "
                    "imported in both languages."
                )
                % {
                    "present": present[0],
                    "missing": ", ".join(f"“{name}”" for name in names if name not in present),
                }
            )
    return columns
