"""The read-only JSON API at /api/v1/: the directory's part, and the router other apps join.

Django REST framework with drf-spectacular: DRF's ``DjangoFilterBackend`` runs the public
lists' own FilterSets (``filters.py``), so every filter of an HTML list works on its endpoint
with the same parameter names and values, and drf-spectacular documents those parameters
(with their choices) in the OpenAPI document without a second description to keep in step.

``router`` is shared: ``actions/api.py`` registers its endpoints on it from its AppConfig,
so this module never imports ``actions``. Only GET and HEAD exist; responses carry no cookie
and no session, so any cache can keep them: they vary on Accept-Language (the language of
error messages and of the OpenAPI labels) and, through the page cache (caching.py), on
Cookie, so that nobody signed in is handed the anonymous copy.

Why one module over 300 lines: one small viewset per endpoint beside the pagination, CORS and
docs views they share; split, each piece would be a few lines read without the others.
"""

import hashlib

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.urls import path, re_path
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, pagination, serializers, viewsets
from rest_framework.decorators import api_view, schema
from rest_framework.routers import DefaultRouter

from . import filters
from . import serializers as api
from .caching import cached_by_version
from .models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    StrategicLine,
    Theme,
)
from .models.themes import themes_as_list
from .pagination import DEFER_FROM, RankedPageMixin
from .search import MAX_RANKED

MAX_PAGE_SIZE = 100


def allow_cross_origin_get(request, response):
    """Open GET and HEAD answers to any origin; any other method stays same-origin only."""
    if request.method in ("GET", "HEAD"):
        response["Access-Control-Allow-Origin"] = "*"
    return response


class CrossOriginGetMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return allow_cross_origin_get(request, response)


def sorted_across_tables(queryset):
    """Whether the order needs other tables (an action's plan and line): PostgreSQL then
    joins and sorts every row, and sorting only the keys is cheaper (the first 100 actions
    of 10,000: 17 ms for whole rows, 7 ms for their keys)."""
    return any("__" in field for field in queryset.query.order_by if isinstance(field, str))


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
        sql, params = rows.order_by().values("pk").query.sql_with_params()
        digest = hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()
        return cached_by_version(f"api-count:{digest}", lambda: Paginator.count.func(self))

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
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


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


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {
    400: OpenApiResponse(
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description="A parameter was not understood: an object mapping each parameter to "
        "its error messages.",
    ),
    404: OpenApiResponse(ErrorSerializer, description="No such entry, or no such page."),
}


class ReadOnlyViewSet(CrossOriginGetMixin, viewsets.ReadOnlyModelViewSet):
    """List (filtered, paginated, in a stable order) and retrieve by id; nothing else."""

    pagination_class = Pagination
    http_method_names = ["get", "head"]

    # The serializer's many-to-many fields given as lists of ids (LinkedIdsField) are read
    # for the rows it will show.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            api.attach_linked_ids(page, self.get_serializer_class())
        return page

    def get_object(self):
        found = super().get_object()
        api.attach_linked_ids([found], self.get_serializer_class())
        return found

    def get_queryset(self):
        queryset = super().get_queryset()
        # The id breaks ties, so a row never moves between pages of the same query.
        return queryset.order_by(
            *queryset.query.order_by or self.queryset.model._meta.ordering, "id"
        )


# What the API's documentation says of ``q`` (the list pages say it in their result count).
SEARCH_HELP = format_lazy(
    _(
        "Words to look for, in Catalan or English; the best matches come first. A "
        "search ranks only the first {count} matches it finds: a count of {more} "
        "means there are more, and a narrower search finds them."
    ),
    count=MAX_RANKED,
    more=MAX_RANKED + 1,
)


def empty_choice_filters_nothing(result, generator, request, public):
    """drf-spectacular hook: a choice filter left empty (``?kind=``, what a form sends for
    "any") filters nothing, as on the HTML lists; the enums it derives from the choices
    would call it invalid."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):  # a path's own parameters, if ever given
                continue
            for parameter in operation.get("parameters", []):
                choices = parameter.get("schema", {}).get("enum")
                if parameter.get("in") == "query" and choices and "" not in choices:
                    parameter["schema"]["enum"] = [*choices, ""]
                    description = parameter.get("description", "")
                    parameter["description"] = f"{description}\n\n{EMPTY_CHOICE_HELP}".strip()
    return result


EMPTY_CHOICE_HELP = _("Left empty, it filters nothing.")


def documented(tag):
    """Tag and document the error answers of a viewset's two operations, and its search."""

    def decorate(viewset):
        serializer = viewset.serializer_class
        filterset = getattr(viewset, "filterset_class", None)
        searchable = filterset is not None and "q" in filterset.base_filters
        parameters = [OpenApiParameter("q", str, description=SEARCH_HELP)] if searchable else []
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                parameters=parameters,
                responses={200: serializer(many=True), **ERRORS},
            ),
            retrieve=extend_schema(tags=[tag], responses={200: serializer, 404: ERRORS[404]}),
        )(viewset)

    return decorate


@documented("networks")
class NetworkViewSet(ReadOnlyViewSet):
    """Networks, coalitions, campaigns, associations of municipalities and working groups."""

    queryset = Network.objects.prefetch_related(
        themes_as_list(),
        Prefetch("working_groups", queryset=Network.objects.order_by("name_ca", "id")),
        Prefetch("strategic_lines", queryset=StrategicLine.objects.order_by("number")),
    )
    serializer_class = api.NetworkSerializer
    filterset_class = filters.NetworkFilter


@documented("organisations")
class OrganisationViewSet(ReadOnlyViewSet):
    queryset = Organisation.objects.select_related("municipality__comarca").prefetch_related(
        themes_as_list()
    )
    serializer_class = api.OrganisationSerializer
    filterset_class = filters.OrganisationFilter


@documented("memberships")
class MembershipViewSet(ReadOnlyViewSet):
    """Who is in which network, in which role: an organisation or a municipality."""

    ordering = ("id",)
    queryset = Membership.objects.all()
    serializer_class = api.MembershipSerializer
    filterset_class = filters.MembershipFilter


@documented("funders")
class FunderViewSet(ReadOnlyViewSet):
    queryset = Funder.objects.all()
    serializer_class = api.FunderSerializer
    filterset_class = filters.FunderFilter


@documented("fundings")
class FundingViewSet(ReadOnlyViewSet):
    """What each funder paid for: a project, a network, an organisation or an event."""

    ordering = ("id",)
    queryset = Funding.objects.all()
    serializer_class = api.FundingSerializer
    filterset_class = filters.FundingFilter


@documented("municipalities")
class MunicipalityViewSet(ReadOnlyViewSet):
    queryset = Municipality.objects.select_related("comarca")
    serializer_class = api.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilter


@documented("comarques")
class ComarcaViewSet(ReadOnlyViewSet):
    """Catalonia's comarques (counties), with their provinces and number of municipalities."""

    queryset = Comarca.objects.all()
    serializer_class = api.ComarcaSerializer
    filterset_class = filters.ComarcaFilter

    def filter_queryset(self, queryset):
        # Annotated after filtering: PostgreSQL's search builds a new queryset of its matches,
        # which would drop annotations made before it.
        return super().filter_queryset(queryset).with_places()


@documented("themes")
class ThemeViewSet(ReadOnlyViewSet):
    queryset = Theme.objects.all()
    serializer_class = api.ThemeSerializer
    filterset_class = filters.ThemeFilter


# The year filter's choices are the years that have events (read from the database): tell
# the schema they are years rather than leave it guessing (a warning in check --deploy).
extend_schema_field(OpenApiTypes.INT)(filters.EventFilter.base_filters["year"])


@documented("events")
class EventViewSet(ReadOnlyViewSet):
    queryset = (
        Event.objects.for_list()
        .select_related("municipality__comarca")
        .prefetch_related(themes_as_list())
    )
    serializer_class = api.EventSerializer
    filterset_class = filters.EventFilter


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("networks", NetworkViewSet, basename="network")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("funders", FunderViewSet, basename="funder")
router.register("fundings", FundingViewSet, basename="funding")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("comarques", ComarcaViewSet, basename="comarca")
router.register("themes", ThemeViewSet, basename="theme")
router.register("events", EventViewSet, basename="event")


class SchemaView(CrossOriginGetMixin, SpectacularAPIView):
    """The OpenAPI 3 document, always as JSON (``/api/v1/openapi.json``)."""

    http_method_names = ["get", "head"]
    renderer_classes = [OpenApiJsonRenderer]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Disposition"] = 'inline; filename="openapi.json"'
        return response


class DocsView(TemplateView):
    """Swagger UI from our own static files (drf-spectacular-sidecar) and our own script."""

    template_name = "api/docs.html"


def urlpatterns():
    """The API's URLs, built once every app has registered its endpoints (after ready())."""
    return [
        path("openapi.json", SchemaView.as_view(), name="schema"),
        path("docs/", DocsView.as_view(), name="docs"),
        *router.urls,
        # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
        re_path(r"^", not_found),
    ]


@api_view(["GET", "HEAD"])
@schema(None)
def not_found(request):
    raise exceptions.NotFound
