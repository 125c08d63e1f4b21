"""No lost updates through an import: confirming writes over nothing the preview did not see.

A preview notes, for every row that matches an existing entry, the entry's version token
(``networks.versions``) as it read it; the notes wait next to the uploaded file (one JSON
line per row, so they cost what the file's rows cost). Confirming first reads those
entries' tokens again in bulk, holding the rows until the import commits: if any entry was
changed or deleted since the preview, or a row the preview would have created now matches
an entry created since, nothing is written and the report names each such entry, who did
it and when, and asks for a new preview. Rows the preview showed unchanged count too:
confirming would otherwise put the file's values back over the other editor's change.

``manage.py import_data`` has no separate preview: it passes no notes, so nothing to check.
"""

import json
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..versions import history_of, parse_token, staleness, version_tokens
from .files import ImportFileError

BATCH = 500
SHOWN = 20  # conflicts described in full (a few queries each); the rest are counted


@dataclass
class Conflict:
    row: int
    label: str
    text: str


def _by_whom(record):
    """“by X on <date>” from a history record (or "" when history has none)."""
    if record is None:
        return ""
    who = str(record.history_user) if record.history_user else _("someone")
    return _("by %(who)s on %(date)s") % {
        "who": who,
        "date": date_format(localtime(record.history_date), "DATETIME_FORMAT"),
    }


def _record(model, pk, history_type):
    history = history_of(model, pk)
    if history is None:
        return None
    return (
        history.filter(history_type=history_type)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )


class PreviewNotes:
    """The preview's side: notes the token of each matched entry, a chunk at a time."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.tokens = {}

    def read_chunk(self, model, pks):
        self.tokens = version_tokens(model, pks)

    def check(self, model, report):
        pass  # a preview has nothing to compare with yet

    def row(self, number, obj, created, label):
        """Note the entry the row matches; a preview finds no conflict."""
        if not created:
            line = [number, obj.pk, self.tokens.get(obj.pk, ""), label[:200]]
            self.fileobj.write(json.dumps(line, ensure_ascii=False) + "\n")
        return None


class ConfirmCheck:
    """The confirmation's side: the preview's notes against what is stored now."""

    def __init__(self, fileobj):
        self.notes = {}  # row → (pk, token, label): bounded by the file's rows, like its keys
        try:
            for line in fileobj:
                number, pk, token, label = json.loads(line)
                self.notes[number] = (pk, token, label)
        except (ValueError, TypeError):  # notes cut short (a full disk): the preview is lost
            raise ImportFileError(_("This preview has expired: upload the file again.")) from None

    def read_chunk(self, model, pks):
        pass  # every noted entry was checked (and locked) before the first row

    def check(self, model, report):
        """Add a conflict to ``report`` for each noted entry changed or deleted since."""
        noted = sorted(self.notes.items())
        for start in range(0, len(noted), BATCH):
            batch = noted[start : start + BATCH]
            # Locked until the import commits: nobody saves one of them in between.
            current = version_tokens(model, [pk for _n, (pk, _t, _l) in batch], lock=True)
            for number, (pk, token, label) in batch:
                # The values decide, as for a form: an edit undone since is no conflict.
                if parse_token(current.get(pk))[1] != parse_token(token)[1]:
                    report.add_conflict(number, label, self.describer(model, pk, token))

    def describer(self, model, pk, token):
        return lambda: self.describe(model, pk, token)

    def describe(self, model, pk, token):
        stale = staleness(model, pk, token)
        if stale is None:  # changed back in the meantime (no lock on SQLite)
            return _("changed since your preview")
        if stale.deleted:
            by = _by_whom(_record(model, pk, "-"))
            if by:
                return _("deleted since your preview, %(by)s") % {"by": by}
            return _("deleted since your preview")
        changes = "; ".join(change.describe() for change in stale.changes)
        return _("changed since your preview. %(changes)s") % {
            "changes": changes or _("Someone changed it")
        }

    def row(self, number, obj, created, label):
        """When the row now matches an entry the preview did not see: what to say of it."""
        if created or number in self.notes:
            return None
        return lambda: self.describe_added(type(obj), obj.pk)

    def describe_added(self, model, pk):
        by = _by_whom(_record(model, pk, "+"))
        if by:
            return _("an entry with this key was added since your preview, %(by)s") % {"by": by}
        return _("an entry with this key was added since your preview")
