"""Public action plans and the years their actions run.

A ``Plan`` (Barcelona's ESS impetus plan 2016-2019) is owned by an organisation and covers a
period of years. It is organised in axes (``Axis``, e.g. "Intercooperació", which carries its
objectives and audience) and numbered strategic lines (``Line`` 11 to 17). Each line has
ordered ``Action``s, and each action runs in one or more discrete years: a
``ScheduledYear`` per year, with its status. Municipalities read plans by those years, so
progress is always computed from the scheduled years, never stored.

Why one module over 300 lines: the five models form one chain (plan, axis, line, action,
year) whose constraints and progress queries refer to each other.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lag
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import (
    YEAR_VALIDATORS,
    Municipality,
    Network,
    Organisation,
    modified_field,
    per_language_unique_slug,
)
from networks.pagination import SubqueryCount
from networks.periods import end_after_start, validate_period


def share(part, whole):
    """Whole percent, never rounded to 0% or 100% unless it is exactly none or all."""
    if not whole:
        return None
    if part in (0, whole):
        return part * 100 // whole
    return min(max(round(part * 100 / whole), 1), 99)


@dataclass(frozen=True)
class Progress:
    """How many scheduled action-years there are, by status (never stored).

    An outcome is *reported* when a year is done, in progress or not done. A year with no
    outcome reported is not a year where nothing was done: the sources are silent on it,
    so progress is stated as "n of m reported", never as a share done.
    """

    scheduled: int = 0
    done: int = 0
    in_progress: int = 0
    not_done: int = 0
    not_reported: int = 0

    @property
    def reported(self):
        return self.done + self.in_progress + self.not_done

    @property
    def planned(self):
        return self.scheduled - self.reported - self.not_reported

    @property
    def reported_share(self):
        return share(self.reported, self.scheduled)

    @property
    def not_reported_share(self):
        return share(self.not_reported, self.scheduled)

    @classmethod
    def from_counts(cls, counts, prefix=""):
        return cls(**{field: counts[f"{prefix}{field}"] or 0 for field in PROGRESS_FIELDS})


PROGRESS_FIELDS = ("scheduled", "done", "in_progress", "not_done", "not_reported")


def progress_counts(path, prefix=""):
    """Count expressions of scheduled years reached through ``path`` ("" for ScheduledYear).

    Counting the scheduled years' own primary keys with ``distinct`` keeps the figures right
    when the query also joins other to-many relations.
    """
    key = f"{path}__id" if path else "id"
    status = f"{path}__status" if path else "status"
    counts = {f"{prefix}scheduled": Count(key, distinct=True)}
    for field in PROGRESS_FIELDS[1:]:
        counts[f"{prefix}{field}"] = Count(key, filter=Q(**{status: field}), distinct=True)
    return counts


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
        return reverse("actions:plan_detail", kwargs={"slug": self.slug})

    def get_timeline_url(self):
        return reverse("actions:timeline", kwargs={"slug": self.slug})

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
        return reverse(
            "actions:line_detail", kwargs={"plan": self.plan.slug, "number": self.number}
        )

    @property
    def progress(self):
        """From ``with_progress()`` annotations when present, else one query."""
        if hasattr(self, "progress_scheduled"):
            return Progress.from_counts(vars(self), prefix="progress_")
        return ScheduledYear.objects.filter(action__line=self).progress()

    def clean(self):
        if self.axis_id and self.plan_id and self.axis.plan_id != self.plan_id:
            raise ValidationError({"axis": _("The axis belongs to another plan.")})


class ActionQuerySet(models.QuerySet):
    def concerning_municipality(self, municipality):
        """Actions linked to the municipality, or belonging to a plan that covers it."""
        return self._concerning(municipality=municipality)

    def concerning_comarca(self, comarca):
        """Actions linked to a municipality of the comarca, or in a plan that covers one."""
        return self._concerning(municipality__comarca=comarca)

    def _concerning(self, **place):
        """Actions linked to the place, or in a plan whose municipality is in it.

        The ids of a UNION of two halves, each read through its own index: the actions the
        place names, and those of the plans that cover it. As one OR (an Exists() or a
        join), PostgreSQL joined every action to its line and plan to test it: 12 ms for
        a town of 3 actions among 10,000, 28 ms for the Barcelonès (now 2 and 12 ms).
        """
        named = Action.municipalities.through.objects.filter(**place).values("action_id")
        plan_place = {f"line__plan__{key}": value for key, value in place.items()}
        covered = Action.objects.filter(**plan_place).values("pk")
        return self.filter(pk__in=named.order_by().union(covered.order_by()))

    def first_keys(self, size, order):
        """The keys of the first ``size`` of these actions in ``order``, and how many there
        are, in one query: what a place's summary keeps (actions/sections.py)."""
        first = self.order_by(*order).annotate(total=SubqueryCount(self))
        rows = list(first.values_list("pk", "total")[:size])
        return [pk for pk, _total in rows], rows[0][1] if rows else 0

    def shown(self, keys, order):
        """The actions of ``keys``, each with its line and plan, in ``order``; no query when
        there are none."""
        if not keys:
            return self.none()
        return self.filter(pk__in=keys).select_related("line__plan").order_by(*order)


class Action(models.Model):
    """One action of a line, in the order the plan lists them."""

    line = models.ForeignKey(
        Line, verbose_name=_("line"), on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(
        _("position"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    title = models.TextField(_("action"))
    description = models.TextField(_("description"), blank=True)
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks concerned"), blank=True, related_name="plan_actions"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations concerned"),
        blank=True,
        related_name="plan_actions",
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities concerned"),
        blank=True,
        related_name="plan_actions",
    )

    modified = modified_field()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["line__plan", "line__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["line", "position"], name="action_unique_position")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse(
            "actions:action_detail",
            kwargs={
                "plan": self.line.plan.slug,
                "number": self.line.number,
                "position": self.position,
            },
        )

    @property
    def code(self):
        """The action's number within its plan, as the plan reads: line.position."""
        return f"{self.line.number}.{self.position}"


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


class ScheduledYear(models.Model):
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
