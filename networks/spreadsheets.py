"""Cells for CSV files that people open in a spreadsheet (admin exports and the timeline).

A cell starting with one of FORMULA_PREFIXES would run as a formula (CSV injection), so such
text gets a leading apostrophe, which spreadsheets read as "this is text".
"""

import csv
import datetime
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file whose write() hands back the line: csv.writer then produces strings."""

    def write(self, text):
        return text


def csv_lines(header, rows, *, bom=False):
    """One CSV file, line by line (for a StreamingHttpResponse, or joined).

    ``header`` is a sequence of column labels, ``rows`` an iterable of sequences of values;
    every value goes through ``csv_cell``. ``bom=True`` starts with a UTF-8 byte order mark,
    for files people open in Excel (see actions/exports.py). Dialect: RFC 4180 (commas,
    quotes when needed, CRLF line ends).
    """
    writer = csv.writer(_Echo())
    yield ("\ufeff" if bom else "") + writer.writerow([str(label) for label in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])
