"""Feeds of the directory's events, one per language (the URL's language prefix picks it).

- Atom: events, newest first.
- iCalendar: ``CALENDAR_LENGTH`` events whose day is known: the coming ones (and those
  still running), soonest first, then the latest past ones, so a calendar app polling it
  fetches a bounded file (every event of the sample data was 2.5 MB and 1.6 s; the latest
  500 by date were 250 KB and 140 ms, and with more than 500 coming events they left out
  the soonest ones, which a subscriber wants most). An event known only to the month or the
  year has no day a calendar could place it on, and putting it on the 1st would state a
  false date, so it is left out of the calendar (it stays in the Atom feed and on the site).
  The events page says both.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .dates import event_dates
from .models import Event
from .places import join_parts, physical_place, place_label, place_parts

FEED_LENGTH = 50
# templates/includes/event_feeds.html states this number: change both together.
CALENDAR_LENGTH = 200


def events_with_last_change():
    """Events, newest first, each with the time of its latest recorded edit (one query)."""
    history = Event.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return (
        Event.objects.select_related("municipality")
        .annotate(last_changed=Subquery(history.values("history_date")[:1]))
        .order_by("-start_date", "pk")
    )


def _start_of(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def event_when_where(event, parts=None):
    """'17 May 2017 · Barcelona Activa, Barcelona' (``parts``: the event's place_parts, when
    they were worked out already)."""
    place = place_label(event) if parts is None else join_parts(parts)
    return " · ".join(part for part in (event_dates(event), place) if part)


class EventsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Xarxa ESS: events")
    subtitle = _("Conferences, meetings and fairs of the social and solidarity economy.")

    def link(self):
        return reverse("networks:event_list")

    def items(self):
        return events_with_last_change()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return "\n\n".join(part for part in (event_when_where(item), item.description) if part)

    def item_updateddate(self, item):
        return item.last_changed or _start_of(item.start_date)

    def author_name(self):
        return gettext("Xarxa ESS")

    def item_author_name(self, item):
        return gettext("Xarxa ESS")


def utc(moment):
    # RFC 5545 wants DTSTAMP and LAST-MODIFIED in UTC ("...Z"), not with a TZID.
    return moment.astimezone(datetime.UTC)


# RFC 5545 3.1: content lines of at most 75 octets, continued after CRLF and a space.
FOLD_AT = 74


def fold(line):
    """One content line folded exactly as icalendar folds it, a slice at a time: icalendar
    measures the UTF-8 length of every character of the calendar, which was a quarter of
    the feed's time. A fold never splits a character, nor a line after "\\" or "^" (what
    icalendar does for clients that would misread an escape cut in two)."""
    data = line.encode()
    parts = []
    start = 0
    while len(data) - start > FOLD_AT:
        end = start + FOLD_AT
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its start
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def calendar_bytes(calendar):
    """``calendar.to_ical()``, folded by ``fold``."""
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


def events_ical(request):
    host = urlsplit(settings.SITE_URL).hostname or "xarxaess"
    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//Xarxa ESS//{get_language()}//")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", gettext("Xarxa ESS: events"))
    today = timezone.localdate()
    day_known = events_with_last_change().filter(date_precision=Event.Precision.DAY)
    events = list(day_known.not_over(today).order_by("start_date", "pk")[:CALENDAR_LENGTH])
    if len(events) < CALENDAR_LENGTH:
        past = day_known.over(today).order_by("-start_date", "-pk")
        events += past[: CALENDAR_LENGTH - len(events)]
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", utc(event.last_changed or now))
        entry.add("dtstart", event.start_date)
        # DTEND of an all-day event is exclusive: the day after the last day.
        entry.add("dtend", (event.end_date or event.start_date) + datetime.timedelta(days=1))
        entry.add("summary", event.title)
        # Worked out once for the description and the location (a URL to reverse, names to
        # compare): twice was a sixth of the calendar's time.
        parts = place_parts(event)
        when_where = event_when_where(event, parts)
        description = "\n\n".join(p for p in (when_where, event.description) if p)
        entry.add("description", description)
        entry.add("url", request.build_absolute_uri(event.get_absolute_url()))
        # The physical place: the online mode is not a location.
        if place := physical_place(event, parts):
            entry.add("location", place)
        if event.last_changed:
            entry.add("last-modified", utc(event.last_changed))
        calendar.add_component(entry)
    response = HttpResponse(calendar_bytes(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="xarxa-ess-events.ics"'
    return response
