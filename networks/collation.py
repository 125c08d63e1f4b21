"""Catalan alphabetical order for names: "Àger" among the A's, "Bàscara" before "Bràfim".

PostgreSQL ships the ICU collation ``"ca-x-icu"``. SQLite has no ICU, so a collation of the
same name is registered on every new SQLite connection: ``Collate(F("name"), CATALAN)`` and
``order_by(catalan("name"))`` then read the same on both databases. The SQLite one follows
the Catalan tailoring closely enough for names: accents and case only break ties, and the
middle dot of "l·l" is ignored (CLDR sorts "l·l" with "ll"). Lists sorted in Python use
``sort_key``, which is the same rule.
"""

import functools
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

CATALAN = "ca-x-icu"


@functools.lru_cache(maxsize=4096)
def sort_key(text):
    text = str(text or "")
    folded = unicodedata.normalize("NFKD", text.casefold().replace("·", ""))
    primary = "".join(ch for ch in folded if not unicodedata.combining(ch))
    # Lower case before upper case and unaccented before accented, as ICU breaks ties.
    return (primary, text.casefold(), text.swapcase())


def _compare(left, right):
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(CATALAN, _compare)


connection_created.connect(_register, dispatch_uid="xmess_catalan_collation")


def catalan(field_name):
    """An ordering expression: ``order_by(catalan("name"))``."""
    return Collate(F(field_name), CATALAN)
