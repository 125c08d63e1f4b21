"""A plan's timeline as CSV and JSON: one row per scheduled action-year the visitor filtered.

Rows come from the same TimelineFilter as the page's grid, in the same order, and are written
in the active language (the view switches language for ``?lang=``).

The CSV starts with a UTF-8 byte order mark: without it Excel reads a CSV file in the
computer's legacy code page and mangles every accent ("polítiques" becomes "polÃ­tiques");
with it Excel, LibreOffice and Numbers all read UTF-8, and Python reads it with
``encoding="utf-8-sig"``. Text that a spreadsheet would run as a formula is prefixed with an
apostrophe (CSV injection).
"""

import io
import json

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from networks.spreadsheets import write_csv

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


def csv_response(scheduled_years, filename):
    buffer = io.StringIO()
    write_csv(
        buffer,
        [label for _key, label in COLUMNS],
        ([row[key] for key, _label in COLUMNS] for row in export_rows(scheduled_years)),
        bom=True,
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Content-Language"] = get_language()
    return response


def json_response(scheduled_years, *, plan, filters, url, filename):
    document = {
        "plan": {"name": plan.name, "start_year": plan.start_year, "end_year": plan.end_year},
        "language": get_language(),
        "url": url,
        "filters": filters,
        "columns": {key: str(label) for key, label in COLUMNS},
        "rows": list(export_rows(scheduled_years)),
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    response["Content-Language"] = get_language()
    return response
