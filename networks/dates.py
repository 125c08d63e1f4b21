"""Dates written the way each language writes them.

Django's Catalan long format renders "5 març de 2026" and "1 agost de 2026"; Catalan writes
"5 de març de 2026" and "1 d'agost de 2026" (the preposition elides before a vowel).
"""

import datetime

from django.utils.translation import get_language, gettext

CA_MONTHS = [
    "gener", "febrer", "març", "abril", "maig", "juny",
    "juliol", "agost", "setembre", "octubre", "novembre", "desembre",
]  # fmt: skip
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _ca_of(month_name):
    return f"d'{month_name}" if month_name[0] in "aeiou" else f"de {month_name}"


def format_date(value, precision="day", language=None):
    """'day': 5 de març de 2026 / 5 March 2026; 'month': març de 2026; 'year': 2026."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    language = (language or get_language() or "ca")[:2]
    if precision == "year":
        return str(value.year)
    if language == "ca":
        month = CA_MONTHS[value.month - 1]
        if precision == "month":
            return f"{month} de {value.year}"
        return f"{value.day} {_ca_of(month)} de {value.year}"
    month = EN_MONTHS[value.month - 1]
    if precision == "month":
        return f"{month} {value.year}"
    return f"{value.day} {month} {value.year}"


def _day_month(value, language):
    """'22 d'octubre' / '22 October': a day and month without the year."""
    if language == "ca":
        return f"{value.day} {_ca_of(CA_MONTHS[value.month - 1])}"
    return f"{value.day} {EN_MONTHS[value.month - 1]}"


def _month(value, language):
    return (CA_MONTHS if language == "ca" else EN_MONTHS)[value.month - 1]


def _with_year(text, year, language):
    return f"{text} de {year}" if language == "ca" else f"{text} {year}"


def format_date_range(start, end=None, precision="day", language=None):
    """One date, or a range written once: '22–23 d'octubre de 2015', '22–23 October 2015'.

    What both ends share is said once: the month and year of a range within one month,
    the year of a range within one year ('30 de setembre – 2 d'octubre de 2015'). A range
    across years gives both dates in full. An end equal to the start, or missing, gives
    the start alone. Numbers are joined by an unspaced en dash, longer parts by a spaced one.
    """
    if not start:
        return ""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    language = (language or get_language() or "ca")[:2]
    if language != "ca":
        language = "en"
    same = {
        "day": lambda: end == start,
        "month": lambda: (end.year, end.month) == (start.year, start.month),
        "year": lambda: end.year == start.year,
    }[precision if precision in ("month", "year") else "day"]
    if not end or end < start or same():
        return format_date(start, precision, language)
    if precision == "year":
        return f"{start.year}–{end.year}"
    if start.year != end.year:
        return (
            f"{format_date(start, precision, language)} – {format_date(end, precision, language)}"
        )
    if precision == "month":
        return _with_year(
            f"{_month(start, language)} – {_month(end, language)}", end.year, language
        )
    if start.month == end.month:
        # Catalan elides before the month: "22–23 d'octubre de 2015".
        return _with_year(f"{start.day}–{_day_month(end, language)}", end.year, language)
    return _with_year(
        f"{_day_month(start, language)} – {_day_month(end, language)}", end.year, language
    )


def event_dates(event, language=None):
    """An event's dates as the site writes them everywhere (pages, feeds, calendar)."""
    return format_date_range(event.start_date, event.end_date, event.date_precision, language)


def years_label(start, end):
    """A period of whole years, as a role in a network or a funding gives it: "2015–2019",
    "2015" (one year), "since 2015", "until 2019"; None when neither year is known."""
    if start and end:
        return f"{start}–{end}" if start != end else str(start)
    if start:
        return gettext("since %(start)s") % {"start": start}
    if end:
        return gettext("until %(end)s") % {"end": end}
    return None
