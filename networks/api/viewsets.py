"""The directory's endpoints, one small viewset each, on the router other apps join."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.routers import APIRootView, DefaultRouter

from .. import filters
from .. import serializers as api
from ..models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from .base import CrossOriginGetMixin, ReadOnlyViewSet, documented


@documented("networks")
class NetworkViewSet(ReadOnlyViewSet):
    """Networks, coalitions, campaigns, associations of municipalities and working groups."""

    queryset = Network.objects.for_api()
    serializer_class = api.NetworkSerializer
    filterset_class = filters.NetworkFilter


@documented("organisations")
class OrganisationViewSet(ReadOnlyViewSet):
    queryset = Organisation.objects.all()  # rows given their place and themes: base.py
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
    queryset = Municipality.objects.all()  # each given its comarca: base.py
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
    queryset = Event.objects.all()  # rows given their place and themes: base.py
    serializer_class = api.EventSerializer
    filterset_class = filters.EventFilter


class APIRoot(CrossOriginGetMixin, APIRootView):
    """``/api/v1/``, the address the README and the open data page give: a link to each
    endpoint's list, to the documentation and to the OpenAPI document."""

    http_method_names = ["get", "head"]


class Router(DefaultRouter):
    APIRootView = APIRoot

    def get_api_root_view(self, api_urls=None):
        # URL names in the API's namespace (networks/api/urls.py), endpoints in the order
        # they were registered, every app's included.
        lists = {prefix: f"{basename}-list" for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**lists, "docs": "docs", "schema": "schema"})


router = Router(trailing_slash=True)
router.register("networks", NetworkViewSet, basename="network")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("funders", FunderViewSet, basename="funder")
router.register("fundings", FundingViewSet, basename="funding")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("comarques", ComarcaViewSet, basename="comarca")
router.register("themes", ThemeViewSet, basename="theme")
router.register("events", EventViewSet, basename="event")
