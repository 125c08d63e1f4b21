"""Filters of a plan's timeline, read from the URL (?line=12&year=2017&status=done).

The same FilterSet selects the grid's cells and the rows of the CSV and JSON exports, so
what a visitor downloads is exactly what the page shows.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import YEAR_VALIDATORS

from .models import ScheduledYear


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
