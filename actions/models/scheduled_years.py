"""The years each action runs: a scheduled year per year, with its status and how it went,
its queryset (timeline order, progress) and the changes of status its history records."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext_lazy as _

from networks.models import YEAR_VALIDATORS, ChoiceLabels

from .actions import Action
from .progress import Progress, progress_counts


class ScheduledYearQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(action__line__plan=plan)

    def timeline(self):
        """In the plan's reading order, with what a timeline row shows, in one query."""
        return self.select_related("action__line__plan").order_by(
            "action__line__number", "action__position", "year"
        )

    def progress(self):
        """One aggregate query: how many of these action-years there are, by status."""
        return Progress.from_counts(self.aggregate(**progress_counts("")))

    def progress_by_year(self):
        """{year: Progress} for these action-years, in one query."""
        rows = self.order_by().values("year").annotate(**progress_counts(""))
        return {row["year"]: Progress.from_counts(row) for row in rows}


class ScheduledYear(ChoiceLabels, models.Model):
    """A year in which an action is scheduled to run, with how it went."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")
        # The year has come or gone and nobody has said how it went (the sources never do).
        NOT_REPORTED = "not_reported", _("no outcome reported")

        @classmethod
        def reported(cls):
            return [cls.IN_PROGRESS, cls.DONE, cls.NOT_DONE]

    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="scheduled_years",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    note = models.TextField(_("note"), blank=True)

    objects = ScheduledYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduled year")
        verbose_name_plural = _("scheduled years")
        ordering = ["action__line__number", "action__position", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year"],
                name="scheduledyear_unique_year",
                violation_error_message=_("This action is already scheduled for that year."),
            )
        ]

    def __str__(self):
        return f"{self.action.code} — {self.year} ({self.get_status_display()})"

    def clean(self):
        if self.year is None or not self.action_id:
            return
        plan = self.action.line.plan
        if not plan.start_year <= self.year <= plan.end_year:
            raise ValidationError(
                {
                    "year": _("%(year)s is outside the plan's period (%(start)s–%(end)s).")
                    % {"year": self.year, "start": plan.start_year, "end": plan.end_year}
                }
            )


def status_changes():
    """Historical records of scheduled years whose status differs from the record before.

    One query: a window function reads each record's previous status within the same
    scheduled year, so no per-record look-up is needed. A scheduled year's first record (its
    creation) is not a change. Each record carries ``previous_status``; the action (and its
    line and plan) come with it when they still exist.
    """
    history = ScheduledYear.history.model
    return (
        history.objects.annotate(
            previous_status=Window(
                Lag("status"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .filter(previous_status__isnull=False)
        .exclude(previous_status=F("status"))
        .filter(action__line__plan__isnull=False)
        .select_related("action__line__plan")
        .order_by("-history_date", "-history_id")
    )
