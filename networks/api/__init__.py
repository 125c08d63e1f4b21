"""The read-only JSON API at /api/v1/: the directory's part, and the router other apps join.

Django REST framework with drf-spectacular: DRF's ``DjangoFilterBackend`` runs the public
lists' own FilterSets (``filters.py``), so every filter of an HTML list works on its endpoint
with the same parameter names and values, and drf-spectacular documents those parameters
(with their choices) in the OpenAPI document without a second description to keep in step.

``router`` is shared: ``actions/api.py`` registers its endpoints on it from its AppConfig,
so this package never imports ``actions``. Only GET and HEAD exist; responses carry no cookie
and no session, so any cache can keep them: they vary on Accept-Language (the language of
error messages and of the OpenAPI labels) and, through the page cache (page_cache.py), on
Cookie, so that nobody signed in is handed the anonymous copy.

- ``base``: what every endpoint builds on (``ReadOnlyViewSet``, ``documented``, CORS);
- ``pagination``: numbered pages with the total, deep pages read by their keys first;
- ``viewsets``: the directory's endpoints and the shared ``router``;
- ``urls``: the endpoints, the OpenAPI document and the docs page, built after ``ready()``.
"""

from .base import (
    CrossOriginGetMixin,
    ReadOnlyViewSet,
    allow_cross_origin_get,
    documented,
    empty_choice_filters_nothing,
)
from .urls import urlpatterns
from .viewsets import router

__all__ = [
    "CrossOriginGetMixin",
    "ReadOnlyViewSet",
    "allow_cross_origin_get",
    "documented",
    "empty_choice_filters_nothing",
    "router",
    "urlpatterns",
]
