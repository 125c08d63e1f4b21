"""How a plan is organised: its thematic axes (objectives and audience) and its numbered
strategic lines, with the lines' queryset."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from networks.models import modified_field
from networks.paths import entry_path

from .plans import Plan
from .progress import Progress, progress_counts


class Axis(models.Model):
    """A thematic axis of a plan, with its own objectives and audience."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="axes"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(
        _("objectives"), blank=True, help_text=_("One objective per line.")
    )
    audience = models.TextField(
        _("audience"), blank=True, help_text=_("Who it is for: one group per line.")
    )

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="axis_unique_position")
        ]

    def __str__(self):
        return self.name

    @property
    def objective_list(self):
        return [line.strip() for line in (self.objectives or "").splitlines() if line.strip()]

    @property
    def audience_list(self):
        return [line.strip() for line in (self.audience or "").splitlines() if line.strip()]


class LineQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate each line's number of actions and the progress of its action-years."""
        return self.annotate(
            action_count=Count("actions", distinct=True),
            **progress_counts("actions__scheduled_years", prefix="progress_"),
        )


class Line(models.Model):
    """A numbered strategic line of a plan (numbers are unique within the plan)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    axis = models.ForeignKey(
        Axis,
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    modified = modified_field()

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="line_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return entry_path("actions:line_detail", plan=self.plan.slug, number=self.number)

    @property
    def progress(self):
        """From ``with_progress()`` annotations when present, else one query."""
        from .scheduled_years import ScheduledYear  # scheduled_years.py imports this module

        if hasattr(self, "progress_scheduled"):
            return Progress.from_counts(vars(self), prefix="progress_")
        return ScheduledYear.objects.filter(action__line=self).progress()

    def clean(self):
        if self.axis_id and self.plan_id and self.axis.plan_id != self.plan_id:
            raise ValidationError({"axis": _("The axis belongs to another plan.")})
