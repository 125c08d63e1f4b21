"""What the rows of a page of a list show of the small tables they refer to, attached once
the page is read: their municipality with its comarca, and their themes. Both tables are
kept per content version in each process (networks/caching.py, ``kept_by_version``)."""

from .geography import Municipality, attach_comarques, attach_municipalities
from .themes import attach_theme_lists


def attach_references(rows, themes=True):
    """``attach_municipalities`` (or ``attach_comarques``, for municipalities) and, with
    ``themes``, ``attach_theme_lists`` (one query)."""
    rows = list(rows)
    if rows and isinstance(rows[0], Municipality):
        attach_comarques(rows)
    attach_municipalities(rows)
    if themes:
        attach_theme_lists(rows)
