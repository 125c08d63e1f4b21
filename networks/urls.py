from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import exports, feeds, geography, site_pages, views

app_name = "networks"

urlpatterns = [
    path(_("networks/"), views.NetworkListView.as_view(), name="network_list"),
    path(_("networks/<slug:slug>/"), views.NetworkDetailView.as_view(), name="network_detail"),
    path(_("organisations/"), views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        _("organisations/<slug:slug>/"),
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(_("funders/"), views.FunderListView.as_view(), name="funder_list"),
    path(_("funders/<slug:slug>/"), views.FunderDetailView.as_view(), name="funder_detail"),
    path(_("municipalities/"), views.MunicipalityListView.as_view(), name="municipality_list"),
    path(
        _("municipalities.geojson"),
        geography.municipalities_geojson,
        name="municipality_geojson",
    ),
    path(
        _("municipalities/<slug:slug>/"),
        views.MunicipalityDetailView.as_view(),
        name="municipality_detail",
    ),
    path(_("comarques/"), geography.ComarcaListView.as_view(), name="comarca_list"),
    path(_("comarques/<slug:slug>/"), geography.ComarcaDetailView.as_view(), name="comarca_detail"),
    path(_("events/"), views.EventListView.as_view(), name="event_list"),
    path(_("events/<slug:slug>/"), views.EventDetailView.as_view(), name="event_detail"),
    path(_("themes/<slug:slug>/"), views.ThemeDetailView.as_view(), name="theme_detail"),
    path(_("search/"), site_pages.SearchView.as_view(), name="search"),
    # Feeds: one per language, as the language prefix of the URL says.
    path(_("feeds/events.atom"), feeds.EventsFeed(), name="events_feed"),
    path(_("feeds/events.ics"), feeds.events_ical, name="events_ical"),
    path(_("open-data/"), site_pages.OpenDataView.as_view(), name="open_data"),
]

# Downloads of each list as the visitor filtered it: <list>/download.csv|json|geojson?<filters>
urlpatterns += [
    path(_("networks/download.<str:format>"), exports.view("networks"), name="network_export"),
    path(
        _("organisations/download.<str:format>"),
        exports.view("organisations"),
        name="organisation_export",
    ),
    path(_("funders/download.<str:format>"), exports.view("funders"), name="funder_export"),
    path(
        _("municipalities/download.<str:format>"),
        exports.view("municipalities"),
        name="municipality_export",
    ),
    path(_("events/download.<str:format>"), exports.view("events"), name="event_export"),
]
