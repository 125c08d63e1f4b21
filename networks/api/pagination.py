"""The API's pages: numbered, with the total, and a deep page read in two short queries."""

import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

from ..caching import cached_by_version
from ..pagination import DEFER_FROM, RankedPageMixin

MAX_PAGE_SIZE = 100


def sorted_across_tables(queryset):
    """Whether the order needs other tables (an action's plan and line): PostgreSQL then
    joins and sorts every row, and sorting only the keys is cheaper (the first 100 actions
    of 10,000: 17 ms for whole rows, 7 ms for their keys)."""
    return any("__" in field for field in queryset.query.order_by if isinstance(field, str))


def kept_by_sql(kind, queryset, compute):
    """``compute()``, kept per content version under the SQL of ``queryset`` (each filter,
    order and language its own). A queryset that can match nothing (an empty slice, an
    empty list of ids) has no SQL: computed, it asks the database nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return compute()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    return cached_by_version(f"{kind}:{digest}", compute)


class DeferredJoinPaginator(RankedPageMixin, Paginator):
    """Reads a deep page in two queries: its ids, then those rows with their relations.

    The first query walks only the ordering's index (an index-only scan on PostgreSQL), so a
    page deep in 100,000 organisations does not join and fetch every row it skips. A page
    near the start is read in one query: the ids query would only repeat the filters (a
    search and a theme cost 17 ms each time at 100,000 organisations), unless its order
    spans other tables.
    """

    @cached_property
    def count(self):
        """The exact total the API gives with every page, kept per content version like the
        home page's counts: counting 100,000 organisations took 7-8 ms of every page of the
        list (a third of its SQL). Keyed by the count's own SQL, so each filter has its own."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        counted = rows.order_by().values("pk")
        return kept_by_sql("api-count", counted, lambda: Paginator.count.func(self))

    def page(self, number):
        if (ranked := self.ranked_page(number)) is not None:
            return ranked
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < DEFER_FROM and not sorted_across_tables(self.object_list):
            return self._get_page(list(self.object_list[bottom:top]), number, self)
        ids = self.page_keys(bottom, top)
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def page_keys(self, bottom, top):
        """The keys of the rows from ``bottom`` to ``top``, kept per content version like the
        total, keyed by their query's SQL: sorting every one of 10,000 actions by their plan
        and line for the 100 of a page took 9 ms of each request for it."""
        keys = self.object_list.values_list("pk", flat=True)[bottom:top]
        return kept_by_sql("api-keys", keys, lambda: list(keys))


class Pagination(pagination.PageNumberPagination):
    """Numbered pages with the total, ``page_size`` up to 100; bad numbers are a 400."""

    django_paginator_class = DeferredJoinPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [_("A page number is a whole number from 1.")]}
            )
        # A page past the last one is DRF's 404 ("Invalid page."): the page does not exist.
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
