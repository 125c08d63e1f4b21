"""The API's URLs: its endpoints, its OpenAPI document and its documentation page."""

from django.urls import path, re_path
from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.decorators import api_view, schema

from .base import CrossOriginGetMixin
from .viewsets import router


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
