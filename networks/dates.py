"""Dates written the way each language writes them.

Django's Catalan long format renders "5 març de 2026" and "1 agost de 2026"; Catalan writes
"5 de març de 2026" and "1 d'agost de 2026" (the preposition elides before a vowel).
"""

import datetime

from django.utils.translation import get_language

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
