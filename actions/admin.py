"""The staff admin for plans, their lines, actions and the years each action runs."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from networks.admin.base import TranslatedAdmin
from networks.admin.scope import MunicipalScopeMixin, editor_municipality
from networks.admin.translations import MissingTranslationFilter
from networks.imports.upload import ImportMixin

from .models import Action, Axis, Line, Plan, ScheduledYear


class AxisInline(TranslationStackedInline):
    model = Axis
    extra = 0


@admin.register(Plan)
class PlanAdmin(TranslatedAdmin):
    list_display = ["name", "short_name", "owner", "start_year", "end_year", "missing_translations"]
    list_filter = [MissingTranslationFilter]
    list_select_related = ["owner"]
    search_fields = ["name_ca", "name_en", "short_name_ca", "short_name_en"]
    autocomplete_fields = ["owner", "municipality", "predecessor"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AxisInline]


@admin.register(Axis)
class AxisAdmin(TranslatedAdmin):
    list_display = ["name", "plan", "position", "missing_translations"]
    list_filter = ["plan", MissingTranslationFilter]
    list_select_related = ["plan"]
    search_fields = ["name_ca", "name_en"]
    autocomplete_fields = ["plan"]


class ActionInline(TranslationStackedInline):
    model = Action
    extra = 0
    max_rows = 50  # more: the line's page links to them in the actions list
    fields = ["position", "title", "description"]
    show_change_link = True


@admin.register(Line)
class LineAdmin(TranslatedAdmin):
    list_display = ["__str__", "plan", "axis", "missing_translations"]
    list_filter = ["plan", MissingTranslationFilter]
    list_select_related = ["plan", "axis"]
    search_fields = ["title_ca", "title_en", "=number"]
    autocomplete_fields = ["plan", "axis"]
    inlines = [ActionInline]


class ScheduledYearFormSet(BaseInlineFormSet):
    """Check each year against the plan's period, also while the action is being added.

    ``ScheduledYear.clean()`` can only check a saved action; a new action's years are
    checked here against the plan of the line chosen on the same page.
    """

    def clean(self):
        super().clean()
        action = self.instance
        if action.pk is not None or not action.line_id:
            return
        plan = action.line.plan
        for form in self.forms:
            year = (getattr(form, "cleaned_data", None) or {}).get("year")
            if year is not None and not plan.start_year <= year <= plan.end_year:
                form.add_error(
                    "year",
                    _("%(year)s is outside the plan's period (%(start)s–%(end)s).")
                    % {"year": year, "start": plan.start_year, "end": plan.end_year},
                )


class ScheduledYearInline(TranslationTabularInline):
    model = ScheduledYear
    formset = ScheduledYearFormSet
    extra = 0
    fields = ["year", "status", "note"]


@admin.register(Action)
class ActionAdmin(TranslatedAdmin):
    list_display = ["code", "short_title", "plan", "missing_translations"]
    list_filter = ["line__plan", MissingTranslationFilter]
    list_select_related = ["line__plan"]
    search_fields = ["title_ca", "title_en"]
    autocomplete_fields = ["line", "networks", "organisations", "municipalities"]
    inlines = [ScheduledYearInline]

    @admin.display(description=gettext_lazy("code"), ordering="line__number")
    def code(self, obj):
        return obj.code

    @admin.display(description=gettext_lazy("action"), ordering="title_ca")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    @admin.display(description=gettext_lazy("plan"))
    def plan(self, obj):
        return obj.line.plan


@admin.register(ScheduledYear)
class ScheduledYearAdmin(ImportMixin, MunicipalScopeMixin, TranslatedAdmin):
    """The timeline: one row per action and year; statuses can be changed in the list."""

    list_display = ["code", "action_title", "year", "status"]
    list_editable = ["status"]
    list_filter = ["status", "year", "action__line__plan"]
    list_select_related = ["action__line__plan"]
    search_fields = ["action__title_ca", "action__title_en"]
    autocomplete_fields = ["action"]
    # A municipal editor records how the year went; which action and year it is stays put.
    municipal_readonly_fields = ["action", "year"]

    @admin.display(description=gettext_lazy("code"))
    def code(self, obj):
        return obj.action.code

    @admin.display(description=gettext_lazy("action"))
    def action_title(self, obj):
        title = obj.action.title
        return title if len(title) <= 90 else title[:89] + "…"

    def municipal_filter(self, queryset, municipality):
        return queryset.filter(action__in=Action.objects.keys_concerning_municipality(municipality))

    def in_municipal_scope(self, obj, municipality):
        return (
            Action.objects.concerning_municipality(municipality).filter(pk=obj.action_id).exists()
        )

    def has_add_permission(self, request):
        # Years are added on the action's page, where the plan's period is checked.
        municipal = editor_municipality(request.user) is not None
        return super().has_add_permission(request) and not municipal
