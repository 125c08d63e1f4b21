"""Plans: a public body's plan for the ESS over a period of years, with its queryset (its
lines, actions and progress in one query)."""

from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import (
    YEAR_VALIDATORS,
    Municipality,
    Organisation,
    modified_field,
    per_language_unique_slug,
)
from networks.paths import slug_path
from networks.periods import end_after_start, validate_period

from .progress import PROGRESS_FIELDS, Progress, progress_counts


class PlanQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate lines, actions and the progress of scheduled action-years."""
        return self.annotate(
            line_count=Count("lines", distinct=True),
            action_count=Count("lines__actions", distinct=True),
            **progress_counts("lines__actions__scheduled_years", prefix="progress_"),
        )


class Plan(models.Model):
    """A public body's plan for the ESS over a period of years."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="plans"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_("The municipality the plan covers, for a municipal plan."),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("previous plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
    )

    modified = modified_field()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "name_ca"]
        constraints = [
            *per_language_unique_slug("plan"),
            end_after_start(
                "plan_end_after_start",
                message=_("The plan's last year is before its first year."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("actions:plan_detail", self.slug)

    def get_timeline_url(self):
        return slug_path("actions:timeline", self.slug)

    def clean(self):
        validate_period(self)

    @property
    def years(self):
        return list(range(self.start_year, self.end_year + 1))

    @property
    def has_ended(self):
        return self.end_year < timezone.localdate().year

    @property
    def progress(self):
        """From ``with_progress()`` annotations when present, else one query."""
        from .scheduled_years import ScheduledYear  # scheduled_years.py imports this module

        if hasattr(self, "progress_scheduled"):
            return Progress.from_counts(vars(self), prefix="progress_")
        return ScheduledYear.objects.filter(action__line__plan=self).progress()

    def add_up(self, lines):
        """Sets what ``with_progress()`` annotates as the sums of the plan's ``lines``, read
        with their own ``with_progress()``: every action is in one line. Counted again over
        the plan, its action-years were grouped a second time (5 ms for 2,000 actions)."""
        self.line_count = len(lines)
        self.action_count = sum(line.action_count for line in lines)
        for field in PROGRESS_FIELDS:
            name = f"progress_{field}"
            setattr(self, name, sum(getattr(line, name) or 0 for line in lines))
