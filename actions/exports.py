"""A plan's timeline as CSV and JSON: one row per scheduled action-year the visitor filtered.

Rows come from the same TimelineFilter as the page's grid, in the same order, and are written
in the active language (the view switches language for ``?lang=``).

The CSV starts with a UTF-8 byte order mark: without it Excel reads a CSV file in the
computer's legacy code page and mangles every accent ("polítiques" becomes "polÃ­tiques");
with it Excel, LibreOffice and Numbers all read UTF-8, and Python reads it with
``encoding="utf-8-sig"``. Text that a spreadsheet would run as a formula is prefixed with an
apostrophe (CSV injection).

Both are streamed (the whole timeline of a large plan is a download of megabytes): rows are
read in chunks and written as they come, in the language asked for, which the generator
activates itself because it runs after the view has returned. Each one is kept on disk per
content version (networks/kept_downloads.py), like the directory's downloads: writing the
2,000 actions of a plan took 300 ms of a worker, so 64 municipalities exporting at once
queued for 10 s; the same download at the same version is now a file the server sends.
"""

import json

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from networks import kept_downloads
from networks.exports import in_language
from networks.spreadsheets import csv_lines

# Rows read from the database at a time: a plan of 10,000 action-years never sits in memory.
CHUNK = 1000

COLUMNS = [
    ("plan", _("Plan")),
    ("line", _("Line number")),
    ("line_title", _("Line title")),
    ("action", _("Action number")),
    ("action_title", _("Action")),
    ("year", _("Year")),
    ("status", _("Status")),
]


def export_rows(scheduled_years):
    """One dict per scheduled action-year, with the texts of the active language."""
    for scheduled in scheduled_years:
        action = scheduled.action
        line = action.line
        yield {
            "plan": line.plan.name,
            "line": line.number,
            "line_title": line.title,
            "action": action.code,
            "action_title": action.title,
            "year": scheduled.year,
            "status": scheduled.get_status_display(),
            "status_code": scheduled.status,
        }


def csv_response(request, scheduled_years, filename, language):
    header = [label for _key, label in COLUMNS]
    rows = (
        [row[key] for key, _label in COLUMNS]
        for row in export_rows(scheduled_years.iterator(chunk_size=CHUNK))
    )
    response = kept_downloads.response(
        request,
        language,
        "csv",
        lambda: in_language(language, csv_lines(header, rows, bom=True)),
        "text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Content-Language"] = language
    return response


def _json_lines(scheduled_years, head):
    """The JSON document, written piece by piece: the head, then one row at a time."""
    opening = json.dumps({**head, "rows": []}, ensure_ascii=False, indent=2)
    yield opening.removesuffix("[]\n}").removesuffix("[]}").rstrip() + " [\n"
    separator = ""
    for row in export_rows(scheduled_years.iterator(chunk_size=CHUNK)):
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def json_response(request, scheduled_years, *, plan, filters, url, filename, language):
    with translation.override(language):
        head = {
            "plan": {"name": plan.name, "start_year": plan.start_year, "end_year": plan.end_year},
            "language": language,
            "url": url,
            "filters": filters,
            "columns": {key: str(label) for key, label in COLUMNS},
        }
    response = kept_downloads.response(
        request,
        language,
        "json",
        lambda: in_language(language, _json_lines(scheduled_years, head)),
        "application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    response["Content-Language"] = language
    return response
