"""Filters for the public lists. Values in the URL are the same in both languages (codes,
Catalan theme slugs, municipality slugs), so the language switcher can keep the query string.
An unknown value makes that filter invalid: it is ignored and the form says so."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .caching import cached_by_version
from .lookups import EntryFilter, municipality_by_name, network_by_name
from .models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Province,
    Theme,
)


# The choices of the filter forms on every list page, read once per content version and
# language (the comarques' query sorts 42 names by Catalan collation: 2 ms a page).
def theme_choices():
    return cached_by_version(
        f"choices:theme:{get_language()}",
        lambda: list(Theme.objects.values_list("slug_ca", "name")),
    )


def comarca_choices():
    return cached_by_version(
        f"choices:comarca:{get_language()}",
        lambda: list(Comarca.objects.in_name_order().values_list("slug_ca", "name")),
    )


def geography_filters(path=""):
    """``comarca`` (Catalan slug) and ``province`` (INE prefix) filters, reached through
    ``path`` (the relation to the municipality; empty on municipalities themselves)."""
    prefix = f"{path}__" if path else ""

    class GeographyFilters(django_filters.FilterSet):
        comarca = django_filters.ChoiceFilter(
            label=_("Comarca"),
            choices=comarca_choices,
            field_name=f"{prefix}comarca__slug_ca",
            empty_label=_("Any comarca"),
            distinct="memberships" in path,
        )
        province = django_filters.ChoiceFilter(
            label=_("Province"),
            choices=Province.choices,
            field_name=f"{prefix}province",
            empty_label=_("Any province"),
            distinct="memberships" in path,
        )

    return GeographyFilters


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_queryset(self, queryset):
        # The search ranks a bounded number of matches (search.py): it comes last, so that
        # it ranks among rows the other filters kept.
        fields = self.form.cleaned_data
        for name, value in fields.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, fields.get("q", ""))


class ThemeFilterMixin(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=theme_choices, method="filter_theme", empty_label=_("Any theme")
    )

    def filter_theme(self, queryset, name, value: str):
        # Exists() rather than a JOIN and DISTINCT: the list stays in its indexed order.
        through = queryset.model.themes.through
        column = queryset.model._meta.model_name
        links = through.objects.filter(**{column: OuterRef("pk"), "theme__slug_ca": value})
        return queryset.filter(Exists(links))


class NetworkFilter(
    SearchFilterSet, ThemeFilterMixin, geography_filters("memberships__municipality")
):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Network.Kind.choices, empty_label=_("Any kind")
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=Network.Scope.choices, empty_label=_("Any scope")
    )
    municipality = EntryFilter(
        label=_("Has members in"),
        related=(Membership, "network", "municipality"),
        resolve=municipality_by_name,
    )

    class Meta:
        model = Network
        fields = ["q", "kind", "scope", "theme", "municipality", "comarca", "province"]


class OrganisationFilter(SearchFilterSet, ThemeFilterMixin, geography_filters("municipality")):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )
    municipality = EntryFilter(
        label=_("Based in"), field_name="municipality", resolve=municipality_by_name
    )
    network = EntryFilter(
        label=_("Member of"),
        related=(Membership, "organisation", "network"),
        resolve=network_by_name,
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "theme", "municipality", "network", "comarca", "province"]


class FunderFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Funder.Kind.choices, empty_label=_("Any kind")
    )

    class Meta:
        model = Funder
        fields = ["q", "kind"]


class MunicipalityFilter(SearchFilterSet, geography_filters()):
    network = EntryFilter(
        label=_("Member of"),
        related=(Membership, "municipality", "network"),
        resolve=network_by_name,
    )

    class Meta:
        model = Municipality
        fields = ["q", "network", "comarca", "province"]

    def region(self):
        """The INE codes of the chosen comarca or province (None: all of Catalonia)."""
        if not self.is_valid():
            return None
        chosen = {name: self.form.cleaned_data.get(name) for name in ("comarca", "province")}
        if not any(chosen.values()):
            return None
        queryset = Municipality.objects.order_by()
        for name, value in chosen.items():
            queryset = self.filters[name].filter(queryset, value)
        return set(queryset.values_list("ine_code", flat=True))

    def chosen_network(self):
        """The network the visitor filtered by, if the filter is valid and set."""
        # The typed filter (networks/lookups.py) has already resolved the text to a network.
        return self.form.cleaned_data.get("network") if self.is_valid() else None


def event_year_choices():
    """The years events start in, latest first: read once per content version, like the
    themes and comarques (the years of 5,000 events: a query of 1.3 ms on every list page)."""
    return cached_by_version(
        "choices:event-year",
        lambda: [
            (str(d.year), str(d.year))
            for d in Event.objects.dates("start_date", "year", order="DESC")
        ],
    )


class EventFilter(SearchFilterSet, ThemeFilterMixin, geography_filters("municipality")):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming and ongoing")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        choices=event_year_choices,
        field_name="start_date__year",
        empty_label=_("Any year"),
    )
    municipality = EntryFilter(
        label=_("Held in"), field_name="municipality", resolve=municipality_by_name
    )
    network = EntryFilter(
        label=_("Network involved"),
        related=(Event.networks.through, "event", "network"),
        resolve=network_by_name,
    )

    class Meta:
        model = Event
        fields = ["q", "when", "year", "theme", "municipality", "network", "comarca", "province"]

    def filter_when(self, queryset, name, value):
        """Upcoming: not over today (an event on now counts), soonest first; the list is
        otherwise newest first, which at this size starts a year or more ahead. Past: over."""
        today = timezone.localdate()
        if value == "upcoming":
            # The id breaks ties, so a row never moves between pages (as the API orders).
            return queryset.not_over(today).order_by("start_date", "title_ca", "id")
        return queryset.over(today)


class ThemeFilter(SearchFilterSet):
    """Themes have no list page of their own; the API searches them like the other lists."""

    class Meta:
        model = Theme
        fields = ["q"]


class ComarcaFilter(SearchFilterSet):
    """The comarques page is one short table; the API searches them and picks a province."""

    province = django_filters.ChoiceFilter(
        label=_("Province"),
        choices=Province.choices,
        method="filter_province",
        empty_label=_("Any province"),
    )

    class Meta:
        model = Comarca
        fields = ["q", "province"]

    def filter_province(self, queryset, name, value):
        # EXISTS, not a join: a join would repeat each comarca once per municipality there.
        in_province = Municipality.objects.filter(comarca=OuterRef("pk"), province=value)
        return queryset.filter(Exists(in_province))


# --- Filters of the API's lists that have no page of their own -------------------------------

# The largest id a 64-bit integer column holds: a larger number names nothing and must not
# reach the database (SQLite refuses it with an error).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """The id of a related entry: a whole number from 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class MembershipFilter(django_filters.FilterSet):
    network = IdFilter(label=_("Network"))
    organisation = IdFilter(label=_("Organisation"))
    municipality = IdFilter(label=_("Municipality"))
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = ["network", "organisation", "municipality", "role"]


class FundingFilter(django_filters.FilterSet):
    funder = IdFilter(label=_("Funder"))
    network = IdFilter(label=_("Network"))
    organisation = IdFilter(label=_("Organisation"))
    event = IdFilter(label=_("Event"))

    class Meta:
        model = Funding
        fields = ["funder", "network", "organisation", "event"]
