"""Pagination that costs the same at 100 rows and at 100,000.

Counting every row of a filtered list on every view (``COUNT(*)`` over joins) and reading
page 4,000 (an OFFSET that sorts and skips 96,000 rows) are what made deep list pages slow.
``BoundedPaginator`` counts at most ``cap`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT n)``)
and offers only the pages within the first ``cap`` rows: a visitor with more results is
told how many at least, and refines the filters (which are indexed) instead of paging on.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, IntegerField, QuerySet, Subquery, Window
from django.utils.functional import cached_property

from .ranking import Ranking, with_keys
from .search import RANK

# The most rows a list counts and lets a visitor page through.
MAX_BROWSABLE = 10_000
# From this offset on, a page is read keys first (see BoundedPaginator.page). Keys first
# cost 0.6-1.1 ms at any depth; a plain page costs 0.1 ms at the top and grows with its
# offset, past the keys at about 450 rows in on the networks and organisations lists. Half
# way through a list, PostgreSQL also stops walking the order's index and sorts every row
# whole: page 41 of the 2,000 networks (offset 960) took 9 ms, keys first 0.8 ms.
DEFER_FROM = 500
# The furthest row an SQL OFFSET can name (a signed 64-bit integer; SQLite refuses a larger
# one with "datatype mismatch", PostgreSQL with "out of range"): a page past it is past the
# end of any list.
MAX_OFFSET = 2**63 - 1


def is_page_number(number):
    """1, 2, ... as a number or ASCII digits ("²" is a digit to isdigit(), not to int())."""
    text = str(number)
    return text.isascii() and text.isdigit() and int(text) >= 1


class RankedPageMixin:
    """A search's page and its number of matches, finding the matches once.

    A ranked search (``search.search``) sorts all its matches by rank to show the first
    ones, so a window ``COUNT(*) OVER ()`` over them costs nothing more; counting them in a
    query of their own found the matches again (10 of the 45 ms of a filtered organisations
    list at 100,000 organisations). On PostgreSQL the keys of the page and the total come
    from the scan that finds the matches, and a second query reads the page's rows alone
    (``ranking.Ranking``); elsewhere the page's rows carry the total. Anything else, and a
    page past the end, is counted as usual.
    """

    def ranked_page(self, number):
        """The page, when the rows are a ranked search and the page is not past its end;
        else None (the paginator then counts and reads the page as usual)."""
        rows = self.object_list
        known = "count" in self.__dict__ or "counted" in self.__dict__
        if known or not isinstance(rows, QuerySet) or RANK not in rows.query.annotations:
            return None
        if not is_page_number(number):
            return None
        number = int(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page + self.orphans > MAX_OFFSET:
            return None
        if (ranking := Ranking.of(rows)) is not None:
            # PostgreSQL: the page's keys and the total from the candidates' own scan, then
            # those rows alone (networks/ranking.py).
            keys, total = ranking.keys_and_total(rows.db, bottom, self.per_page + self.orphans)
            if total is None:
                return None
            place = {key: position for position, key in enumerate(keys)}
            found = sorted(with_keys(rows, keys), key=lambda row: place[row.pk])
        else:
            window = Window(Count("pk"))
            found = list(
                rows.annotate(page_total=window)[bottom : bottom + self.per_page + self.orphans]
            )
            if not found:
                return None
            total = found[0].page_total
        self.know_total(total)
        number = self.validate_number(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(found[: top - bottom], number, self)

    def get_page(self, number):
        # No page asked for is the first; anything else that is not a page number goes the
        # usual way (Paginator.get_page: the first page, or the last).
        ranked = self.ranked_page(1 if number in (None, "") else number)
        return super().get_page(number) if ranked is None else ranked

    def know_total(self, total):
        self.count = total


class BoundedPaginator(RankedPageMixin, Paginator):
    def __init__(self, object_list, per_page, *, cap=MAX_BROWSABLE, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self):
        """The number of rows, counted up to cap + 1."""
        rows = self.object_list
        if hasattr(rows, "count") and hasattr(rows, "query"):
            # Only the keys: no rank or other annotation is computed to be counted.
            return rows.order_by().values("pk")[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    @property
    def capped(self):
        """True when there are more rows than a visitor can page through."""
        return self.counted > self.cap

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    def know_total(self, total):
        self.counted = total

    def page(self, number):
        """A deep page is read as keys first (an index-only scan of the list's order), then
        the page's rows by key: PostgreSQL skips index entries, not whole rows."""
        if (ranked := self.ranked_page(number)) is not None:
            return ranked
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list
        if bottom < DEFER_FROM or not isinstance(rows, QuerySet):
            return super().page(number)
        keys = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=keys), number, self)


@dataclass
class Preview:
    """The first rows of a relation that can be long, and how many there are in all: a
    detail page shows these and links to the list filtered to the rest."""

    rows: list
    count: int

    @property
    def more(self):
        return self.count > len(self.rows)

    def __bool__(self):
        return bool(self.rows)

    def __iter__(self):
        return iter(self.rows)


class SubqueryCount(Subquery):
    """How many rows ``queryset`` has, as a scalar subquery: the database counts them while
    it reads a preview's rows, in the same query (an uncorrelated subquery runs once)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset):
        # Only the keys, unordered: the rows the page reads, nothing computed to count them.
        super().__init__(queryset.order_by().values("pk"))


def count_together(**querysets):
    """{name: number of rows} of several querysets in one round trip: a SELECT of one
    ``COUNT(*)`` subquery each (what ``count()`` runs, without a query per count)."""
    columns, params = [], []
    for name, queryset in querysets.items():
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        alias = connection.ops.quote_name(name)
        # Django compiled each subquery, its values passed as parameters; names are ours.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted) AS {alias}")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def preview(queryset, size, count=None, counted=None):
    """The first ``size`` rows and how many there are in all, in one query; ``count`` when
    the caller already knows the total. ``counted``: rows as many as ``queryset``'s that
    are cheaper to count, such as a many-to-many's links rather than the rows joined to them
    (a theme's 8,400 organisations: 2 ms counted by their links, 15 ms by a join with all
    100,000)."""
    if count is not None:
        return Preview(list(queryset[:size]), count)
    total = SubqueryCount(queryset if counted is None else counted)
    rows = list(queryset.annotate(preview_total=total)[:size])
    return Preview(rows, rows[0].preview_total if rows else 0)


class SectionPage:
    """One page of a long section of a detail page, read with ``?<param>=n``.

    No COUNT: one row more than the page tells whether there is a next page. Pages stop at
    MAX_BROWSABLE rows, like the lists. A caller that knows how many rows there are anyway
    (a line's actions, a funder's fundings) gives ``total``: the page then knows its rows'
    place in it and how many pages there are ("Page 2 of 40").
    """

    def __init__(self, request, queryset, *, param, per_page, total=None):
        self.param, self.request = param, request
        last = max(1, MAX_BROWSABLE // per_page)
        self.total, self.num_pages = total, None
        if total is not None:
            # Past the last page: the last one, as on the lists.
            last = self.num_pages = min(max(1, -(-total // per_page)), last)
        try:
            number = int(request.GET.get(param, 1))
        except (TypeError, ValueError):
            number = 1
        self.number = min(max(number, 1), last)
        start = (self.number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.rows = rows[:per_page]
        self.has_previous = self.number > 1
        self.has_next = len(rows) > per_page and self.number < last
        self.first = start + 1 if self.rows else 0
        self.last = start + len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __bool__(self):
        return bool(self.rows) or self.has_previous

    def _query(self, number):
        query = self.request.GET.copy()
        query[self.param] = number
        return query.urlencode()

    @property
    def previous_query(self):
        return self._query(self.number - 1)

    @property
    def next_query(self):
        return self._query(self.number + 1)
