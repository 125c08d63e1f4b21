"""Cells for CSV files that people open in a spreadsheet (admin exports and the timeline).

A cell starting with one of FORMULA_PREFIXES would run as a formula (CSV injection), so such
text gets a leading apostrophe, which spreadsheets read as "this is text".
"""

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
