"""Public pages of the directory: its lists with filters and its detail pages.

Every page runs at most 10 queries whatever the number of rows: lists prefetch what their
cards show, details show bounded previews of each relation, each read with its total in one
query, and counts are subqueries of the page's own object (tests/test_bounded_pages.py).
The site-wide pages (home, search, open data, robots.txt, 404) are in site_pages.py.
"""

from collections import defaultdict

from django import forms
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from . import caching, filters, map_layers, structured_data
from .collation import sort_key
from .models import (
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from .models.directory import working_group_order
from .models.listing import attach_references
from .numbers import grouped
from .pagination import MAX_BROWSABLE, BoundedPaginator, Preview, SectionPage, preview
from .search import MAX_RANKED

# How many entries of a long relation a detail page shows before linking to the list
# filtered to all of them (a network's 20,000 members, a town's 5,000 organisations).
PREVIEW = 60
# Events are cards: fewer of them.
EVENTS_PREVIEW = 12


class FilteredListView(ListView):
    """A list narrowed by a FilterSet; bad page numbers land on the first or last page."""

    filterset_class = None
    paginate_by = 24
    paginator_class = BoundedPaginator

    def searching(self):
        return self.filterset.is_bound and bool(self.filterset.form.cleaned_data.get("q"))

    def get_paginator(self, queryset, per_page, **kwargs):
        # A search ranks at most MAX_RANKED matches (search.py): count no further.
        cap = MAX_RANKED if self.searching() else MAX_BROWSABLE
        return super().get_paginator(queryset, per_page, cap=cap, **kwargs)

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=super().get_queryset(), request=self.request
        )
        return self.filterset.qs

    # Whether the page's cards show each entry's themes (``attach_references``).
    shows_themes = False

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        page.object_list = list(page.object_list)
        attach_references(page.object_list, themes=self.shows_themes)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        context["filter"] = self.filterset
        context["page_query"] = params.urlencode()
        context["is_filtered"] = any(value for value in self.filterset.form.data.values())
        return context


class NetworkListView(FilteredListView):
    queryset = Network.objects.for_list()
    filterset_class = filters.NetworkFilter
    shows_themes = True


def by_member(memberships, key=lambda membership: membership.member):
    """One row per member, alphabetical, with each of its roles in the order roles are listed.

    A municipality can be a member, on the executive commission and in the promoting group
    at once: a reader wants it once, with all three. ``key`` groups by something else (a
    municipality's page groups its roles by network).
    """
    role_order = {role: index for index, role in enumerate(Membership.Role.values)}
    rows = defaultdict(list)
    for membership in memberships:
        rows[key(membership)].append(membership)
    return [
        (member, sorted(roles, key=lambda m: (role_order[m.role], m.start_year or 0)))
        for member, roles in sorted(rows.items(), key=lambda row: sort_key(row[0]))
    ]


def member_preview(memberships, count, key=lambda membership: membership.member):
    """The first PREVIEW members of ``memberships`` (read with their members), by name:
    (a Preview of them out of ``count``, their rows of ``by_member``)."""
    rows = by_member(memberships, key)[:PREVIEW]
    return Preview([member for member, _roles in rows], count), rows


class NetworkDetailView(DetailView):
    queryset = Network.objects.select_related("parent", "host").prefetch_related(
        "themes",
        "strategic_lines",
        Prefetch("working_groups", queryset=Network.objects.order_by(*working_group_order())),
        Prefetch(
            "fundings",
            queryset=Funding.objects.select_related("funder").order_by("start_year", "id"),
        ),
        "reported_member_counts",
    )

    def get_object(self, queryset=None):
        """The network, with its member counts (``with_member_counts()``) kept per content
        version like the home page's: counted over all its memberships (the biggest
        network's 25,000: 8 ms). When they are not kept yet, its own query counts them."""
        counted = {}

        def count():
            queryset = self.get_queryset().with_member_counts()
            network = counted["network"] = super(NetworkDetailView, self).get_object(queryset)
            return {
                "member_counts": network.member_counts,
                "has_municipalities": network.has_municipalities,
            }

        key = f"network-counts:{get_language()}:{self.kwargs[self.slug_url_kwarg]}"
        counts = caching.cached_by_version(key, count)
        network = counted.get("network") or super().get_object(queryset)
        vars(network).update(counts)
        return network

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.object
        year_form = YearForm(self.request.GET)
        year = year_form.cleaned_data["year"] if year_form.is_valid() else None
        memberships = list(
            Membership.objects.shown_on_network_page(network, organisations=PREVIEW, year=year)
        )
        municipal = [m for m in memberships if m.municipality_id]
        counts = network.member_counts or {}
        organisations, context["organisation_members"] = member_preview(
            [m for m in memberships if m.organisation_id], counts.get("organisations", 0)
        )
        # Every municipal membership was read (for the map): the count is theirs.
        municipalities, context["municipality_members"] = member_preview(
            municipal, len({m.municipality_id for m in municipal})
        )
        context["organisation_preview"] = organisations
        context["municipality_preview"] = municipalities
        context["organisation_count"] = organisations.count
        context["municipality_count"] = municipalities.count
        context["events"] = preview(network.events.select_related("municipality"), EVENTS_PREVIEW)
        # Set against the figures the sources give, so nobody takes the list as complete.
        context["recorded_members"] = counts.get("members", 0)
        context["structured_data"] = structured_data.network(
            network, self.request, organisations.rows, municipalities.rows
        )
        context["year_form"], context["year"] = year_form, year
        if network.has_municipalities:
            spans = map_layers.spans_of(
                (m.municipality.ine_code, m.start_year, m.end_year) for m in municipal
            )
            context["map"] = map_layers.membership_map(network, year=year, spans=spans)
        return context


class YearForm(forms.Form):
    """``?year=2017``: the municipal members as of that year, from the membership dates."""

    year = forms.IntegerField(
        label=_("Members in year"), min_value=1900, max_value=2100, required=False
    )


class OrganisationListView(FilteredListView):
    queryset = Organisation.objects.all()
    filterset_class = filters.OrganisationFilter
    shows_themes = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        note = ""
        if self.searching() and context["paginator"].capped:
            # A search ranks its first MAX_RANKED matches only (search.py): so does the map.
            note = _(
                "The map counts the first %(count)s matches of the search only: search or "
                "filter further to map them all."
            ) % {"count": grouped(MAX_RANKED)}
        context["map_html"] = map_layers.cached_list_map(
            self.request,
            "organisations",
            lambda: map_layers.organisation_map(
                map_layers.organisation_counts(self.filterset.qs), note=note
            ),
        )
        return context


class OrganisationDetailView(DetailView):
    queryset = Organisation.objects.select_related(
        "municipality", "parent", "funder"
    ).prefetch_related(
        "themes",
        "hosted_networks",
        Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        memberships = preview(
            organisation.memberships.select_related("network").order_by(
                "network__name_ca", "role", "id"
            ),
            PREVIEW,
        )
        context["memberships"] = memberships
        context["parts"] = preview(organisation.parts.all(), PREVIEW)
        context["events"] = preview(
            organisation.organised_events.select_related("municipality"), EVENTS_PREVIEW
        )
        context["events_taken_part_in"] = preview(
            organisation.events_taken_part_in.select_related("municipality"), EVENTS_PREVIEW
        )
        context["structured_data"] = structured_data.organisation(
            organisation, self.request, memberships.rows
        )
        return context


class FunderListView(FilteredListView):
    queryset = Funder.objects.select_related("organisation")
    filterset_class = filters.FunderFilter


class FunderDetailView(DetailView):
    queryset = Funder.objects.select_related("organisation")
    fundings_per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fundings = self.object.fundings.select_related("network", "organisation", "event")
        context["funding_count"] = fundings.count()
        context["fundings"] = SectionPage(
            self.request,
            fundings.order_by("start_year", "id"),
            param="page",
            per_page=self.fundings_per_page,
            total=context["funding_count"],
        )
        context["structured_data"] = structured_data.funder(self.object, self.request)
        return context


class MunicipalityListView(FilteredListView):
    """Every municipality, and a map shaded by the chosen network (by default the one with
    the most municipal members: XMESS), fitted to the chosen comarca or province."""

    queryset = Municipality.objects.all()  # each with its comarca: attach_references
    filterset_class = filters.MunicipalityFilter
    paginate_by = 60

    def get_queryset(self):
        queryset = super().get_queryset()
        self.network = self.filterset.chosen_network()
        if self.network:
            queryset = queryset.with_memberships_in(self.network)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A count over every membership: once per content version, not per request.
        network = self.network or caching.cached_by_version(
            "network-with-most-municipalities", Network.objects.with_most_municipalities
        )
        if network:
            context["map_html"] = map_layers.cached_list_map(
                self.request,
                "municipalities",
                lambda: map_layers.membership_map(network, only=self.filterset.region()),
            )
            context["map_network"] = network
        context["geojson_query"] = context["page_query"]
        return context


class MunicipalityDetailView(DetailView):
    queryset = Municipality.objects.select_related("comarca").with_network_count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = self.object
        memberships = Membership.objects.filter(municipality=municipality)
        context["memberships"], context["networks"] = member_preview(
            memberships.previewing("network", PREVIEW),
            municipality.network_count,
            key=lambda membership: membership.network,
        )
        context["organisations"] = preview(municipality.organisations.order_by("name_ca"), PREVIEW)
        # (Each event's municipality is this one: the related manager sets it on them.)
        context["events"] = preview(municipality.events.all(), EVENTS_PREVIEW)
        context["structured_data"] = structured_data.municipality(municipality, self.request)
        codes = set(municipality.comarca.municipalities.values_list("ine_code", flat=True))
        context["map"] = map_layers.locator_map(municipality, codes)
        return context


class EventListView(FilteredListView):
    queryset = Event.objects.all()
    filterset_class = filters.EventFilter


class EventDetailView(DetailView):
    queryset = Event.objects.select_related("municipality").prefetch_related(
        "networks",
        "themes",
        Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        # A congress can have hundreds of organisations taking part: the first ones, and
        # how many (the JSON-LD names the same ones).
        context["organisers"] = preview(event.organisers.order_by("name_ca"), PREVIEW)
        context["participants"] = preview(event.participants.order_by("name_ca"), PREVIEW)
        context["structured_data"] = structured_data.event(
            event, self.request, context["organisers"].rows, context["participants"].rows
        )
        return context


class ThemeDetailView(DetailView):
    queryset = Theme.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        # Each counted by its links to the theme, not by a join with every row of its table.
        for name, shown in (
            ("networks", theme.networks.order_by("name_ca")),
            ("organisations", theme.organisations.order_by("name_ca")),
            ("events", theme.events.all()),
        ):
            links = getattr(theme, name).through.objects.filter(theme=theme)
            context[name] = preview(shown, PREVIEW, counted=links)
        context["structured_data"] = structured_data.theme(theme, self.request)
        return context
