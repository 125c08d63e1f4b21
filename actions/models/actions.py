"""Actions: what a line of a plan lists, in order, with the networks, organisations and
municipalities each concerns, and the queryset that finds those concerning a place."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Network, Organisation, modified_field
from networks.pagination import SubqueryCount
from networks.paths import entry_path

from .lines import Line


class ActionQuerySet(models.QuerySet):
    def concerning_municipality(self, municipality):
        """Actions linked to the municipality, or belonging to a plan that covers it."""
        return self._concerning(municipality=municipality)

    def concerning_comarca(self, comarca):
        """Actions linked to a municipality of the comarca, or in a plan that covers one."""
        return self._concerning(municipality__comarca=comarca)

    def keys_concerning_municipality(self, municipality):
        """The ids of ``concerning_municipality``, for another table's filter
        (``action__in=``). Through ``concerning_municipality``, the union sat inside a
        second subquery, and PostgreSQL ran it again for every row it kept: the admin's
        timeline, searched by Barcelona's editor, took 5.4 s instead of 15 ms."""
        return self._keys_concerning(municipality=municipality)

    def _concerning(self, **place):
        return self.filter(pk__in=self._keys_concerning(**place))

    def _keys_concerning(self, **place):
        """Actions linked to the place, or in a plan whose municipality is in it.

        The ids of a UNION of two halves, each read through its own index: the actions the
        place names, and those of the plans that cover it. As one OR (an Exists() or a
        join), PostgreSQL joined every action to its line and plan to test it: 12 ms for
        a town of 3 actions among 10,000, 28 ms for the Barcelonès (now 2 and 12 ms).
        """
        named = Action.municipalities.through.objects.filter(**place).values("action_id")
        plan_place = {f"line__plan__{key}": value for key, value in place.items()}
        covered = Action.objects.filter(**plan_place).values("pk")
        return named.order_by().union(covered.order_by())

    def first_keys(self, size, order):
        """The keys of the first ``size`` of these actions in ``order``, and how many there
        are, in one query: what a place's summary keeps (actions/sections.py)."""
        first = self.order_by(*order).annotate(total=SubqueryCount(self))
        rows = list(first.values_list("pk", "total")[:size])
        return [pk for pk, _total in rows], rows[0][1] if rows else 0

    def for_api(self):
        """A page of actions as the API writes them: with their line and plan, and their
        scheduled years by year as a plain list in ``scheduled_year_list`` (a related
        manager and a filtered queryset for each of 100 actions took 4 ms)."""
        from .scheduled_years import ScheduledYear  # scheduled_years.py imports this module

        return self.select_related("line__plan").prefetch_related(
            models.Prefetch(
                "scheduled_years",
                queryset=ScheduledYear.objects.order_by("year"),
                to_attr="scheduled_year_list",
            )
        )

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
        return entry_path(
            "actions:action_detail",
            plan=self.line.plan.slug,
            number=self.line.number,
            position=self.position,
        )

    @cached_property
    def scheduled_year_list(self):
        """What ``ActionQuerySet.for_api()`` reads for a page of actions, read for one."""
        return list(self.scheduled_years.order_by("year"))

    @property
    def code(self):
        """The action's number within its plan, as the plan reads: line.position."""
        return f"{self.line.number}.{self.position}"
