"""What every endpoint of the API builds on, in any app: the read-only viewset (pages,
stable order, cross-origin GET) and the documentation of its answers and its search."""

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
    # for the rows it will show, and their pages' URLs worked out for all of them at once.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            api.attach_linked_ids(page, self.get_serializer_class())
            api.attach_page_urls(page, self.get_serializer_class(), self.request)
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
