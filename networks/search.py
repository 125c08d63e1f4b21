"""Accent- and case-insensitive, stemmed search over both languages' columns.

PostgreSQL: full-text search. Two text-search configurations, ``xmess_ca`` and ``xmess_en``
(copies of the built-in ``catalan`` and ``english`` ones with the ``unaccent`` dictionary in
front of the stemmer, created by migration 0003), so "agora" finds "Àgora" and "cooperativa"
finds "Cooperatives". Catalan columns are read with ``xmess_ca``, English ones with
``xmess_en``; names weigh A, other text B. The query is parsed in both configurations
(websearch syntax: quotes, ``or``, ``-word``) and OR-ed, and results are ranked with
``SearchRank``. The vector is stored: migration 0010 adds a ``search_vector`` column that
PostgreSQL generates from exactly the expression ``document()`` returns, with a GIN index (a
test checks with EXPLAIN that the planner uses it), so nothing re-parses a row's text.

At scale a common word matches most rows ("economia" matches all 100,000 organisations):
ranking every match costs seconds. Ranking is bounded instead: the first ``MAX_RANKED``
matches PostgreSQL finds are the candidates, and only those are ranked (every match, when
there are fewer). A visitor with more matches than that is told so and refines the search
(networks/pagination.py); the best of a common word's matches, its name matches, are
plentiful among any 1,000 of them.

SQLite has no stemming: a ``xmess_fold()`` SQL function (registered on every new
connection) casefolds, strips accents and turns punctuation into spaces; each word of the
query is cut to a crude stem (plural and gender endings off) and must begin a word of the
folded text. That finds "Àgora" for "agora" and "Cooperatives" for "cooperativa" at least
by prefix. It scans the table, which is fine for the development-sized databases SQLite
serves here.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat

CONFIGS = {"ca": "xmess_ca", "en": "xmess_en"}
# Names that are the same in both languages (place names) are matched word by word, by
# prefix and without accents, but not stemmed: "agora" must not find "Àger".
SIMPLE_CONFIG = "xmess_simple"
# Long enough for any real query; longer input is cut rather than refused.
MAX_QUERY_LENGTH = 200
# The most matches that are ranked (and counted) for one search: enough for any page a
# visitor reads, small enough to rank in a few milliseconds.
MAX_RANKED = 1000
# The annotation that holds a match's rank (pagination.py reads a ranked list's total with it).
RANK = "search_rank"
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Catalan and English plural and gender endings and English verb endings, longest first
# ("repairing" and "repaired" find "repair").
_ENDINGS = ("ions", "ing", "ies", "es", "ed", "s", "a", "e", "o")


def fold(text):
    """Lower case, no accents, punctuation as spaces: 'L'Àgora·Coop' -> ' l agora coop '."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # A space on each side lets "word starts with" be a plain LIKE '% stem%'.
    return f" {_NON_WORD.sub(' ', stripped).strip()} "


def stem(word):
    """A crude prefix stem: 'cooperativa' -> 'cooperativ', 'xarxes' -> 'xarx'."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def query_words(query):
    """The folded, stemmed words of a query (at most ten: more only slows the search)."""
    return [stem(word) for word in fold(query[:MAX_QUERY_LENGTH]).split()][:10]


def _register_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("xmess_fold", 1, fold, deterministic=True)


connection_created.connect(_register_fold, dispatch_uid="xmess_fold")


class Fold(Func):
    function = "xmess_fold"
    output_field = TextField()


def clean_query(query):
    """The query as searched: trimmed, cut to a sane length, without NUL characters."""
    return (query or "").replace("\x00", " ").strip()[:MAX_QUERY_LENGTH]


def document(fields):
    """The weighted search vector over both languages' columns (PostgreSQL only).

    ``fields`` maps a weight to field names; a translated field is given as "name" and
    read as name_ca (Catalan configuration) and name_en (English), a plain one as
    "=acronym" and read once in each configuration.
    """
    from django.contrib.postgres.search import SearchVector

    vector = None
    for lang, config in CONFIGS.items():
        for weight, names in fields.items():
            for name in names:
                column = name[1:] if name.startswith("=") else f"{name}_{lang}"
                part = SearchVector(column, config=config, weight=weight)
                vector = part if vector is None else vector + part
    return vector


def search(queryset, query, fields):
    """Filter ``queryset`` to rows matching ``query``, best first (rank in ``search_rank``).

    ``fields`` maps a weight to field names, or is {"simple": field} for one untranslated
    name matched by word prefixes without stemming.
    """
    query = clean_query(query)
    if not query:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        if "simple" in fields:
            return _search_postgresql_simple(queryset, query, fields["simple"])
        return _search_postgresql(queryset, query, fields)
    if "simple" in fields:
        fields = {"A": ["=" + fields["simple"]]}
    return _search_fallback(queryset, query, fields)


# The tables with a stored ``search_vector`` (migrations networks/0010 and actions/0005);
# others (municipalities, comarques: names only, "simple") rank on the indexed expression.
STORED_VECTOR_TABLES = {
    "networks_theme",
    "networks_organisation",
    "networks_network",
    "networks_funder",
    "networks_event",
    "actions_plan",
    "actions_line",
    "actions_action",
}


class StoredVector(Func):
    """The generated ``search_vector`` column of the query's table (networks 0010, actions 0005)."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection, **extra):
        # The table's alias in this query: "U0" inside a subquery, the table name outside.
        table = compiler.query.base_table or compiler.query.get_meta().db_table
        return f'{connection.ops.quote_name(table)}."search_vector"', []


def _ranked(queryset, vector, ts_query):
    """Rank at most MAX_RANKED matches, taken in the queryset's (indexed) order."""
    from django.contrib.postgres.search import SearchRank, SearchVectorExact

    ordering = queryset.query.order_by or queryset.model._meta.ordering
    # No order for the candidates: PostgreSQL stops reading (the GIN index's bitmap, or the
    # table) as soon as it has enough, instead of visiting every match to sort them. A table
    # scan starts at the table's beginning (synchronize_seqscans is off: settings.py), so
    # the same search ranks the same matches each time.
    matches = queryset.filter(SearchVectorExact(vector, ts_query))
    candidates = matches.order_by().values("pk")[: MAX_RANKED + 1]  # one more: "more than"
    candidates.query.search_candidates = True  # what ranking.Ranking.of() recognises
    # The candidates passed the queryset's filters already; keep only what it loads.
    ranked = queryset.model._default_manager.filter(pk__in=candidates)
    ranked.query.select_related = queryset.query.select_related
    ranked = ranked.prefetch_related(*queryset._prefetch_related_lookups)
    rank = SearchRank(vector, ts_query)
    ranked = ranked.annotate(**{RANK: rank}).order_by("-" + RANK, *ordering)
    # What a list's page builds its ranking from (networks/ranking.py): the matches' query
    # (a query, not a queryset, which pickling would evaluate), their rank and order, and
    # the ranked queryset's own order (to tell it was not changed since).
    ranked.query.search_ranking = (
        matches.query,
        rank,
        tuple(ordering),
        tuple(ranked.query.order_by),
    )
    return ranked


def _search_postgresql(queryset, query, fields):
    from django.contrib.postgres.search import SearchQuery

    ts_query = SearchQuery(query, config=CONFIGS["ca"], search_type="websearch") | SearchQuery(
        query, config=CONFIGS["en"], search_type="websearch"
    )
    stored = queryset.model._meta.db_table in STORED_VECTOR_TABLES
    return _ranked(queryset, StoredVector() if stored else document(fields), ts_query)


def _search_postgresql_simple(queryset, query, field):
    from django.contrib.postgres.search import SearchQuery, SearchVector

    # fold() leaves only letters, digits and spaces: safe to write as a raw tsquery.
    words = fold(query).split()[:10]
    if not words:
        return queryset.none()
    ts_query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config=SIMPLE_CONFIG, search_type="raw"
    )
    return _ranked(queryset, SearchVector(field, config=SIMPLE_CONFIG, weight="A"), ts_query)


def _columns(fields, weights):
    columns = []
    for weight in weights:
        for name in fields.get(weight, ()):
            if name.startswith("="):
                columns.append(name[1:])
            else:
                columns.extend(f"{name}_{lang}" for lang in CONFIGS)
    return columns


def _folded(columns):
    parts = []
    for column in columns:
        parts += [F(column), Value(" ")]
    if len(parts) == 2:
        return Fold(parts[0])
    return Fold(Concat(*parts, output_field=TextField()))


def _search_fallback(queryset, query, fields):
    words = query_words(query)
    if not words:
        return queryset.none()
    everything = _folded(_columns(fields, fields.keys()))
    names = _folded(_columns(fields, ["A"]))
    queryset = queryset.annotate(search_text=everything, search_names=names)
    name_hits = Value(0, output_field=IntegerField())
    for word in words:
        # LIKE wildcards in the query are literal text.
        pattern = " " + word.replace("\\", "").replace("%", "").replace("_", "")
        if not pattern.strip():
            continue
        queryset = queryset.filter(search_text__contains=pattern)
        name_hits = name_hits + Case(
            When(Q(search_names__contains=pattern), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(**{RANK: name_hits}).order_by(
        "-" + RANK, *queryset.query.order_by or queryset.model._meta.ordering
    )


# --- Sections other apps add to the search page ------------------------------------------
# networks never imports the apps built on it: an app registers what it wants searched
# (actions registers plans, lines and actions in its AppConfig.ready()).


@dataclass(frozen=True)
class SearchSection:
    key: str
    label: str
    queryset: object  # a callable returning the base queryset (with what URLs need joined)
    fields: dict  # weight -> field names, as for search()
    list_url: str | None = None
    detail: object = None  # a callable: object -> a line of context under the result


_SECTIONS = {}


def register_section(section):
    """Add (or replace, on a second ready()) a section of the search page."""
    _SECTIONS[section.key] = section


def registered_sections():
    return list(_SECTIONS.values())
