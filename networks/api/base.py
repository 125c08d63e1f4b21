"""What every endpoint of the API builds on, in any app: the read-only viewset (pages,
stable order, cross-origin GET) and the documentation of its answers and its search."""

import inspect

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from .. import serializers as api
from ..models.listing import attach_references
from ..search import MAX_RANKED
from .pagination import Pagination


def allow_cross_origin_get(request, response):
    """Open GET and HEAD answers to any origin; any other method stays same-origin only."""
    if request.method in ("GET", "HEAD"):
        response["Access-Control-Allow-Origin"] = "*"
    return response


class CrossOriginGetMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return allow_cross_origin_get(request, response)


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
    # for the rows it will show, with their themes and places, and their pages' URLs worked
    # out for all of them at once.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            api.attach_linked_ids(page, self.get_serializer_class())
            attach_references(page)
            api.attach_page_urls(page, self.get_serializer_class(), self.request)
        return page

    def get_object(self):
        found = super().get_object()
        api.attach_linked_ids([found], self.get_serializer_class())
        attach_references([found])
        return found

    # A list's order: the viewset's own ``ordering`` when it declares one, else its model's
    # (as on the site); a search's ranking replaces either, in filter_queryset. The tables
    # that link two others list by id: their model's order starts with a related row's
    # name, so the 100 memberships of one network sorted its 25,000 with a join (32 ms).
    ordering = None

    def get_queryset(self):
        queryset = super().get_queryset()
        order = tuple(
            self.ordering or queryset.query.order_by or self.queryset.model._meta.ordering
        )
        # The id breaks ties, so a row never moves between pages of the same query.
        return queryset.order_by(*order, *(() if order[-1:] == ("id",) else ("id",)))


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
BY_ID_HELP = _("Listed by id, the order in which the entries were added.")


def documented(tag):
    """Tag and document the error answers of a viewset's two operations, and its search."""

    def decorate(viewset):
        serializer = viewset.serializer_class
        filterset = getattr(viewset, "filterset_class", None)
        searchable = filterset is not None and "q" in filterset.base_filters
        parameters = [OpenApiParameter("q", str, description=SEARCH_HELP)] if searchable else []
        listed_by_id = tuple(viewset.ordering or ()) == ("id",)
        description = (
            format_lazy("{}\n\n{}", inspect.getdoc(viewset) or "", BY_ID_HELP)
            if listed_by_id
            else None
        )
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                description=description,
                parameters=parameters,
                responses={200: serializer(many=True), **ERRORS},
            ),
            retrieve=extend_schema(tags=[tag], responses={200: serializer, 404: ERRORS[404]}),
        )(viewset)

    return decorate
