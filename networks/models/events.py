"""Events: conferences, seminars, fairs and meetings, with who organised them, who took part
and the networks involved."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from ..paths import slug_path
from ..periods import end_after_start, validate_period
from .common import ChoiceLabels, SearchableQuerySet, modified_field, per_language_unique_slug
from .directory import Network, Organisation
from .geography import Municipality
from .themes import Theme, theme_list_property

# An event's last day: its end date, or its first day when it has none.
LAST_DAY = Coalesce("end_date", "start_date")


def _not_over_on(today):
    """Its last day is ``today`` or later: one expression, which the index ``event_last_day``
    finds directly (the calendar's query read all 5,000 events to find the 428 not over)."""
    return Q(GreaterThanOrEqual(LAST_DAY, today))


class EventQuerySet(SearchableQuerySet):
    search_fields = {"A": ["title"], "B": ["place", "description"]}

    def upcoming(self, today):
        return self.filter(start_date__gte=today).order_by("start_date", "title_ca")

    def past(self, today):
        return self.filter(start_date__lt=today)

    def not_over(self, today):
        """Still running or to come on ``today``; an event without an end date ends on its
        first day."""
        return self.filter(_not_over_on(today))

    def over(self, today):
        return self.exclude(_not_over_on(today))


EVENT_ENDS_BEFORE_START = _("The event ends before it starts.")


class Event(ChoiceLabels, models.Model):
    """A conference, seminar, fair or meeting, with who organised it and who took part."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=Precision,
        default=Precision.DAY,
        help_text=_(
            "When only the month or the year is known, the day (and month) are shown "
            "no more precisely than this."
        ),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    description = models.TextField(_("description"), blank=True)
    recording_url = models.URLField(_("recording"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    participants = models.ManyToManyField(
        Organisation,
        verbose_name=_("took part"),
        blank=True,
        related_name="events_taken_part_in",
        help_text=_("Organisations that gave a talk or a workshop without organising the event."),
    )
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks involved"), blank=True, related_name="events"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="events"
    )
    theme_list = theme_list_property

    modified = modified_field()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title_ca"]
        # The list, the feeds and the home page's coming and past events read by date; the
        # calendar reads the events not over yet by their last day.
        indexes = [
            models.Index(fields=["-start_date", "title_ca"], name="event_list_order"),
            models.Index(LAST_DAY, name="event_last_day"),
        ]
        constraints = [
            *per_language_unique_slug("event"),
            end_after_start(
                "event_end_after_start",
                start="start_date",
                end="end_date",
                optional=["end_date"],
                message=EVENT_ENDS_BEFORE_START,
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_path("networks:event_detail", self.slug)

    def clean(self):
        validate_period(self, "start_date", "end_date", EVENT_ENDS_BEFORE_START)
