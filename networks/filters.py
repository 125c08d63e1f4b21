"""Filters for the public lists. Values in the URL are the same in both languages (codes,
Catalan theme slugs, municipality slugs), so the language switcher can keep the query string.
An unknown value makes that filter invalid: it is ignored and the form says so."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .lookups import EntryFilter, municipality_by_name, network_by_name
from .models import Event, Funder, Membership, Municipality, Network, Organisation, Theme


def theme_choices():
    return [(slug, name) for slug, name in Theme.objects.values_list("slug_ca", "name")]


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

    def filter_theme(self, queryset, name, value):
        # Exists() rather than a JOIN and DISTINCT: the list stays in its indexed order.
        through = queryset.model.themes.through
        column = queryset.model._meta.model_name
        links = through.objects.filter(**{column: OuterRef("pk"), "theme__slug_ca": value})
        return queryset.filter(Exists(links))


class NetworkFilter(SearchFilterSet, ThemeFilterMixin):
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
        fields = ["q", "kind", "scope", "theme", "municipality"]


class OrganisationFilter(SearchFilterSet, ThemeFilterMixin):
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
        fields = ["q", "kind", "theme", "municipality", "network"]


class FunderFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Funder.Kind.choices, empty_label=_("Any kind")
    )

    class Meta:
        model = Funder
        fields = ["q", "kind"]


class MunicipalityFilter(SearchFilterSet):
    network = EntryFilter(
        label=_("Member of"),
        related=(Membership, "municipality", "network"),
        resolve=network_by_name,
    )

    class Meta:
        model = Municipality
        fields = ["q", "network"]


def event_year_choices():
    return [(str(d.year), str(d.year)) for d in Event.objects.dates("start_date", "year")][::-1]


class EventFilter(SearchFilterSet, ThemeFilterMixin):
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
        fields = ["q", "year", "theme", "municipality", "network"]
