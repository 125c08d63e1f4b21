"""The staff admin for the directory: the ``ModelAdmin`` of each ``networks`` model.

The machinery they share (and that ``actions/admin.py`` uses too) lives beside this file,
one module per concern: ``base`` (the base classes), ``scope`` (municipal editors),
``history`` (history and revert), ``recovery`` (deleted entries), ``deletion`` (confirmed
cascades), ``exports`` (CSV), ``translations`` (missing translations), ``forms`` (formsets).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from ..imports.admin import ImportRecordAdmin  # noqa: F401 -- registers the past imports
from ..imports.upload import ImportMixin
from ..models import (
    Comarca,
    EditorProfile,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    ReportedMemberCount,
    StrategicLine,
    Theme,
)
from .base import TranslatedAdmin, XmessAdmin
from .forms import UniqueMembershipFormSet
from .long_inlines import FewOrChosenFilter, NamedChoicesInlineMixin
from .scope import MunicipalScopeMixin
from .translations import MissingTranslationFilter

admin.site.site_header = _("Xarxa ESS administration")
admin.site.site_title = _("Xarxa ESS administration")
admin.site.index_title = _("Directory and plans")


@admin.register(Theme)
class ThemeAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "missing_translations"]
    list_filter = [MissingTranslationFilter]
    search_fields = ["name_ca", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Comarca)
class ComarcaAdmin(TranslatedAdmin):
    list_display = ["name", "code", "missing_translations"]
    search_fields = ["name_ca", "name_en", "code"]
    prepopulated_fields = {"slug": ["name"]}
    csv_columns = [
        ("code", "code"),
        ("name_ca", "name_ca"),
        ("name_en", "name_en"),
        ("slug_ca", "slug_ca"),
        ("slug_en", "slug_en"),
    ]


@admin.register(Municipality)
class MunicipalityAdmin(XmessAdmin):
    list_display = ["name", "ine_code", "comarca", "province", "latitude", "longitude"]
    list_filter = ["province", "comarca"]
    list_select_related = ["comarca"]
    search_fields = ["name", "ine_code", "idescat_code"]
    prepopulated_fields = {"slug": ["name"]}
    csv_columns = [
        ("ine_code", "ine_code"),
        ("idescat_code", "idescat_code"),
        ("name", "name"),
        ("slug", "slug"),
        ("comarca", "comarca__code"),
        ("province", "province"),
        ("latitude", "latitude"),
        ("longitude", "longitude"),
    ]
    csv_select_related = ["comarca"]


@admin.register(Organisation)
class OrganisationAdmin(ImportMixin, TranslatedAdmin):
    list_display = ["name", "kind", "municipality", "parent", "missing_translations"]
    list_filter = ["kind", MissingTranslationFilter, "themes"]
    list_select_related = ["municipality", "parent"]
    search_fields = ["name_ca", "name_en"]
    autocomplete_fields = ["municipality", "parent", "themes"]
    prepopulated_fields = {"slug": ["name"]}


class StrategicLineInline(TranslationStackedInline):
    model = StrategicLine
    extra = 0


class MembershipInline(NamedChoicesInlineMixin, TranslationTabularInline):
    model = Membership
    formset = UniqueMembershipFormSet
    extra = 0
    max_rows = 50  # more: the network's page links to them in the memberships list
    autocomplete_fields = ["organisation", "municipality"]
    fields = ["organisation", "municipality", "role", "start_year", "end_year", "note", "source"]

    def get_queryset(self, request):
        # Each row's name reads its network and member: three queries a row without this.
        queryset = super().get_queryset(request)
        return queryset.select_related("network", "organisation", "municipality")


class ReportedMemberCountInline(TranslationTabularInline):
    model = ReportedMemberCount
    extra = 0


class FundingInline(NamedChoicesInlineMixin, TranslationStackedInline):
    model = Funding
    fk_name = "network"
    extra = 0
    max_rows = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related("funder", "network", "organisation", "event")

    autocomplete_fields = ["funder", "organisation", "event"]


@admin.register(Network)
class NetworkAdmin(ImportMixin, TranslatedAdmin):
    list_display = ["name", "acronym", "kind", "scope", "parent", "missing_translations"]
    list_filter = ["kind", "scope", MissingTranslationFilter, "themes"]
    list_select_related = ["parent"]
    search_fields = ["name_ca", "name_en", "acronym"]
    autocomplete_fields = ["parent", "host", "themes"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StrategicLineInline, MembershipInline, ReportedMemberCountInline, FundingInline]


@admin.register(StrategicLine)
class StrategicLineAdmin(TranslatedAdmin):
    list_display = ["network", "number", "title", "missing_translations"]
    list_filter = [MissingTranslationFilter]
    list_select_related = ["network"]
    search_fields = ["title_ca", "title_en", "network__name_ca", "network__name_en"]
    autocomplete_fields = ["network"]


@admin.register(Membership)
class MembershipAdmin(ImportMixin, MunicipalScopeMixin, TranslatedAdmin):
    list_display = ["member", "network", "role", "start_year", "end_year"]
    list_filter = ["role", ("network", FewOrChosenFilter)]
    list_select_related = ["network", "organisation", "municipality"]
    search_fields = [
        "network__name_ca",
        "network__name_en",
        "organisation__name_ca",
        "organisation__name_en",
        "municipality__name",
    ]
    autocomplete_fields = ["network", "organisation", "municipality"]
    # A municipal editor manages the municipality's own memberships only.
    municipal_readonly_fields = ["organisation", "municipality"]
    municipal_forced_fields = ["municipality"]

    @admin.display(description=_("member"))
    def member(self, obj):
        return obj.member

    def municipal_filter(self, queryset, municipality):
        return queryset.filter(municipality=municipality)

    def in_municipal_scope(self, obj, municipality):
        return obj.municipality_id == municipality.pk


@admin.register(Funder)
class FunderAdmin(TranslatedAdmin):
    list_display = ["name", "kind", "organisation", "missing_translations"]
    list_filter = ["kind", MissingTranslationFilter]
    list_select_related = ["organisation"]
    search_fields = ["name_ca", "name_en"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Funding)
class FundingAdmin(ImportMixin, TranslatedAdmin):
    list_display = ["funder", "target", "start_year", "end_year", "amount"]
    list_filter = ["funder", MissingTranslationFilter]
    list_select_related = ["funder", "network", "organisation", "event"]
    search_fields = ["project_ca", "project_en", "funder__name_ca", "network__name_ca"]
    autocomplete_fields = ["funder", "network", "organisation", "event"]

    @admin.display(description=_("funded"))
    def target(self, obj):
        return obj.target


@admin.register(Event)
class EventAdmin(ImportMixin, MunicipalScopeMixin, TranslatedAdmin):
    list_display = ["title", "start_date", "municipality", "online", "missing_translations"]
    list_filter = ["date_precision", "online", MissingTranslationFilter, "themes"]
    list_select_related = ["municipality"]
    date_hierarchy = "start_date"
    search_fields = ["title_ca", "title_en", "place_ca", "place_en"]
    autocomplete_fields = ["municipality", "organisers", "participants", "networks", "themes"]
    prepopulated_fields = {"slug": ["title"]}
    # A municipal editor manages events held in the municipality.
    municipal_readonly_fields = ["municipality"]
    municipal_forced_fields = ["municipality"]

    def municipal_filter(self, queryset, municipality):
        return queryset.filter(municipality=municipality)

    def in_municipal_scope(self, obj, municipality):
        return obj.municipality_id == municipality.pk


@admin.register(EditorProfile)
class EditorProfileAdmin(admin.ModelAdmin):
    """Which municipality a municipal editor's account may change (superusers only)."""

    list_display = ["user", "municipality"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    actions = None
