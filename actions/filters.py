"""Filters of a plan's timeline, read from the URL (?line=12&year=2017&status=done).

The same FilterSet selects the grid's cells and the rows of the CSV and JSON exports, so
what a visitor downloads is exactly what the page shows.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from networks.filters import IdFilter
from networks.models import YEAR_VALIDATORS

from .models import Action, Axis, Line, Plan, ScheduledYear


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TimelineFilter(django_filters.FilterSet):
    """Scheduled action-years of one plan, by line number, year and status.

    Any year is accepted (a visitor asking for this year after the plan ended gets a page
    that says so); a line the plan does not have, a status that does not exist or a year
    that is not a number make the form invalid.
    """

    line = django_filters.ChoiceFilter(
        label=_("Line"), field_name="action__line__number", empty_label=_("All lines")
    )
    year = YearFilter(label=_("Year"), validators=YEAR_VALIDATORS)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ScheduledYear.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = ScheduledYear
        fields = ["line", "year", "status"]

    def __init__(self, data=None, *, plan, lines, **kwargs):
        kwargs.setdefault("queryset", ScheduledYear.objects.of_plan(plan).timeline())
        super().__init__(data, **kwargs)
        self.plan = plan
        self.filters["line"].extra["choices"] = [(line.number, str(line)) for line in lines]
        years = [("", _("All years")), *((year, year) for year in plan.years)]
        self.filters["year"].extra["widget"] = forms.Select(choices=years)

    @property
    def active(self):
        """The filters in use, as cleaned values ({} when none or when the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")
        }

    @property
    def year_outside_plan(self):
        year = self.active.get("year")
        return year is not None and year not in self.plan.years


# --- Filters of the API's lists (/api/v1/, see api.py) ---------------------------------------


class PlanFilter(django_filters.FilterSet):
    owner = IdFilter(label=_("Owner"))
    municipality = IdFilter(label=_("Municipality"))

    class Meta:
        model = Plan
        fields = ["owner", "municipality"]


class AxisFilter(django_filters.FilterSet):
    plan = IdFilter(label=_("Plan"))

    class Meta:
        model = Axis
        fields = ["plan"]


class LineFilter(django_filters.FilterSet):
    plan = IdFilter(label=_("Plan"))
    axis = IdFilter(label=_("Axis"))

    class Meta:
        model = Line
        fields = ["plan", "axis"]


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(label=_("Plan"), field_name="line__plan")
    line = IdFilter(label=_("Line"))
    network = IdFilter(label=_("Network"), field_name="networks", distinct=True)
    organisation = IdFilter(label=_("Organisation"), field_name="organisations", distinct=True)
    municipality = IdFilter(label=_("Municipality"), field_name="municipalities", distinct=True)
    year = YearFilter(
        label=_("Year"),
        field_name="scheduled_years__year",
        validators=YEAR_VALIDATORS,
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="scheduled_years__status",
        choices=ScheduledYear.Status.choices,
        distinct=True,
    )

    class Meta:
        model = Action
        fields = ["plan", "line", "network", "organisation", "municipality", "year", "status"]


class ScheduledYearFilter(django_filters.FilterSet):
    plan = IdFilter(label=_("Plan"), field_name="action__line__plan")
    line = IdFilter(label=_("Line"), field_name="action__line")
    action = IdFilter(label=_("Action"))
    year = YearFilter(label=_("Year"), validators=YEAR_VALIDATORS)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ScheduledYear.Status.choices)

    class Meta:
        model = ScheduledYear
        fields = ["plan", "line", "action", "year", "status"]
