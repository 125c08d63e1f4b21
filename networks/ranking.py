"""A list's page of a search, ranked in the scan that finds its matches (PostgreSQL).

``search.search()`` returns a ranked queryset that reads its candidates (at most
``MAX_RANKED`` + 1 matches), then reads each of them again by key to rank and sort them:
1,001 index look-ups and ranks of whole rows for the 24 of a list's page. A ``Ranking``
ranks and sorts the candidates as their scan reads them, in a derived table, with their
total, and only the page's rows are read again, by key, in a second query
(networks/pagination.py). At 100,000 organisations, a list of the cooperatives of a theme
searched for "economia" spent 22 ms in PostgreSQL, now 17 (15 of them finding the
candidates), the same in the API. (The search page's 8 rows of each of its 10 kinds gain
nothing from it: building the ranking's query for each kind cost as much Python as its SQL
saved.)
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import F, OrderBy
from django.db.models.lookups import In
from django.db.models.sql.where import WhereNode

from . import search
from .search import RANK


@dataclass(frozen=True)
class Ranking:
    """The candidates of a search with their key, rank and order columns (``inner``, a
    values() queryset of at most ``search.MAX_RANKED`` + 1 rows), and the ORDER BY over
    those columns that gives the ranked queryset's order (rank, ordering, then the key)."""

    inner: object
    order: tuple  # (column, descending, nulls_first, nulls_last)

    @classmethod
    def build(cls, query, rank, ordering):
        """The ranking of the matches of ``query`` by ``rank`` then ``ordering``, or None
        when an ordering term is beyond what it carries (an expression reached through a
        relation, a random order)."""
        terms = _order_terms(query.model, ordering)
        if terms is None:
            return None
        matches = query.model._default_manager.all()
        matches.query = query.chain()
        columns = {"search_key": F("pk"), RANK: rank}
        order = [(RANK, True, False, False)]
        for number, (expression, descending, nulls_first, nulls_last) in enumerate(terms):
            column = f"search_order_{number}"
            columns[column] = expression
            order.append((column, descending, nulls_first, nulls_last))
        order.append(("search_key", False, False, False))
        inner = matches.order_by().annotate(**columns).values(*columns)[: search.MAX_RANKED + 1]
        return cls(inner, tuple(order))

    @classmethod
    def of(cls, rows):
        """The ranking of ``rows`` when they are a ranked search as ``search()`` returned
        it on PostgreSQL, still filtered by its candidates alone and in its own order; else
        None (any other rows, or rows filtered or ordered again since)."""
        found = getattr(rows.query, "search_ranking", None)
        if found is None:
            return None
        query, rank, ordering, ranked_order = found  # as search._ranked() keeps them
        if tuple(rows.query.order_by) != ranked_order:
            return None
        where = rows.query.where
        if where.negated or len(where.children) != 1:
            return None
        (lookup,) = where.children
        if not isinstance(lookup, In) or not getattr(lookup.rhs, "search_candidates", False):
            return None
        return cls.build(query, rank, ordering)

    def order_sql(self, connection):
        terms = []
        for column, descending, nulls_first, nulls_last in self.order:
            term = f"{connection.ops.quote_name(column)} {'DESC' if descending else 'ASC'}"
            if nulls_first or nulls_last:
                term += " NULLS FIRST" if nulls_first else " NULLS LAST"
            terms.append(term)
        return ", ".join(terms)

    def keys_and_total(self, using, offset, size):
        """The keys of the ``size`` best candidates from ``offset``, and how many
        candidates there are (None when there is no row from ``offset``): one query."""
        connection = connections[using]
        try:
            sql, params = self.inner.query.get_compiler(using).as_sql()
        except EmptyResultSet:  # filters that can match nothing
            return [], None
        key = connection.ops.quote_name("search_key")
        with connection.cursor() as cursor:
            # Every name here is ours; the candidates' SQL was compiled by Django, its
            # values passed as parameters.
            cursor.execute(
                f"SELECT {key}, COUNT(*) OVER () FROM ({sql}) AS ranked "  # noqa: S608
                f"ORDER BY {self.order_sql(connection)} LIMIT %s OFFSET %s",
                (*params, size, offset),
            )
            found = cursor.fetchall()
        return [row[0] for row in found], found[0][1] if found else None


def with_keys(rows, keys):
    """``rows`` (a ranked search whose ``Ranking.of()`` is known) limited to ``keys`` in
    place of its candidates: only those rows are read, ranked and sorted."""
    limited = rows.all()
    limited.query.where = WhereNode()
    limited.query.search_ranking = None  # these rows are no longer all the candidates
    return limited.filter(pk__in=keys)


def _order_terms(model, ordering, prefix="", flip=False):
    """(expression, descending, nulls_first, nulls_last) of each term of ``ordering``, a
    relation's name expanded to its model's own ordering as Django's SQL compiler does;
    None when a term cannot be carried as a column (an expression across a relation, "?")."""
    terms = []
    for item in ordering:
        if isinstance(item, str):
            descending = item.startswith("-")
            name = item.lstrip("-")
            if name == "?":
                return None
            field = _field(model, name)
            related = getattr(field, "related_model", None) if field is not None else None
            if (
                field is not None
                and field.is_relation
                and related is not None
                and related._meta.ordering
                and name != field.attname
            ):
                inner = _order_terms(
                    related, related._meta.ordering, f"{prefix}{name}__", flip != descending
                )
                if inner is None:
                    return None
                terms.extend(inner)
                continue
            terms.append((F(prefix + name), flip != descending, False, False))
        elif prefix:
            return None
        else:
            order = item if isinstance(item, OrderBy) else item.asc()
            descending = flip != order.descending
            nulls_first, nulls_last = order.nulls_first, order.nulls_last
            if flip:
                nulls_first, nulls_last = nulls_last, nulls_first
            terms.append((order.expression, descending, bool(nulls_first), bool(nulls_last)))
    return terms


def _field(model, name):
    """The field ``name`` (a path of relations joined by "__") names, or None."""
    field = None
    for part in name.split("__"):
        if part == "pk":
            field = model._meta.pk
        else:
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
        model = getattr(field, "related_model", None) or model
    return field
