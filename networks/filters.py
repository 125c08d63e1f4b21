"""Filters for the public lists. Values in the URL are the same in both languages (codes,
Catalan theme slugs, municipality slugs), so the language switcher can keep the query string.
An unknown value makes that filter invalid: it is ignored and the form says so."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event, Funder, Municipality, Network, Organisation, Theme


def theme_choices():
    return [(slug, name) for slug, name in Theme.objects.values_list("slug_ca", "name")]


def member_municipality_choices():
    rows = Municipality.objects.in_networks().order_by("name").values_list("slug", "name")
    return list(rows)


def municipal_network_choices():
    networks = Network.objects.filter(memberships__municipality__isnull=False).distinct()
    return [(slug, name) for slug, name in networks.values_list("slug_ca", "name")]


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset


class ThemeFilterMixin(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("Theme"),
        choices=theme_choices,
        field_name="themes__slug_ca",
        empty_label=_("Any theme"),
        distinct=True,
    )


class NetworkFilter(SearchFilterSet, ThemeFilterMixin):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Network.Kind.choices, empty_label=_("Any kind")
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=Network.Scope.choices, empty_label=_("Any scope")
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Has members in"),
        choices=member_municipality_choices,
        field_name="memberships__municipality__slug",
        empty_label=_("Any municipality"),
        distinct=True,
    )

    class Meta:
        model = Network
        fields = ["q", "kind", "scope", "theme", "municipality"]


class OrganisationFilter(SearchFilterSet, ThemeFilterMixin):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "theme"]


class FunderFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Funder.Kind.choices, empty_label=_("Any kind")
    )

    class Meta:
        model = Funder
        fields = ["q", "kind"]


class MunicipalityFilter(SearchFilterSet):
    network = django_filters.ChoiceFilter(
        label=_("Member of"),
        choices=municipal_network_choices,
        field_name="memberships__network__slug_ca",
        empty_label=_("Any or none"),
        distinct=True,
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

    class Meta:
        model = Event
        fields = ["q", "year", "theme"]
