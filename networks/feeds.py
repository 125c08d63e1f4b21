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


def utc_stamp(moment):
    """A DATE-TIME in UTC ("...Z"), as RFC 5545 wants DTSTAMP and LAST-MODIFIED."""
    m = moment.astimezone(datetime.UTC)
    return f"{m.year:04}{m.month:02}{m.day:02}T{m.hour:02}{m.minute:02}{m.second:02}Z"


def day_value(day):
    """An all-day DATE value, with the parameter that says so."""
    return f";VALUE=DATE:{day.year:04}{day.month:02}{day.day:02}"


def text(value):
    """A TEXT value escaped as RFC 5545 3.3.11 asks: backslash, semicolon and comma behind a
    backslash, and every line break (CRLF, LF or a lone CR) as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


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


def calendar_bytes(components):
    """An iCalendar file from its components, each a list of content lines ("NAME:value",
    or "NAME;PARAM=...:value"), folded and ended by CRLF."""
    return b"".join(fold(line) + b"\r\n" for line in components)


def vevent(event, request, host, now):
    """The content lines of one event, in the order icalendar writes them (its canonical
    order, then the others alphabetically)."""
    # Worked out once for the description and the location (a URL to reverse, names to
    # compare): twice was a sixth of the calendar's time.
    parts = place_parts(event)
    description = "\n\n".join(p for p in (event_when_where(event, parts), event.description) if p)
    # DTEND of an all-day event is exclusive: the day after the last day.
    end = (event.end_date or event.start_date) + datetime.timedelta(days=1)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + text(event.title),
        "DTSTART" + day_value(event.start_date),
        "DTEND" + day_value(end),
        "DTSTAMP:" + utc_stamp(event.last_changed or now),
        "UID:" + text(f"event-{event.pk}@{host}"),
        "DESCRIPTION:" + text(description),
    ]
    if event.last_changed:
        lines.append("LAST-MODIFIED:" + utc_stamp(event.last_changed))
    # The physical place: the online mode is not a location.
    if place := physical_place(event, parts):
        lines.append("LOCATION:" + text(place))
    lines.append("URL:" + request.build_absolute_uri(event.get_absolute_url()))
    lines.append("END:VEVENT")
    return lines


def events_ical(request):
    """The calendar, written line by line: building it with icalendar's objects was half of
    its time (tests/test_feeds.py checks that icalendar writes the same bytes and reads the
    same events back)."""
    host = urlsplit(settings.SITE_URL).hostname or "xarxaess"
    now = timezone.now()
    today = timezone.localdate()
    day_known = events_with_last_change().filter(date_precision=Event.Precision.DAY)
    events = list(day_known.not_over(today).order_by("start_date", "pk")[:CALENDAR_LENGTH])
    if len(events) < CALENDAR_LENGTH:
        past = day_known.over(today).order_by("-start_date", "-pk")
        events += past[: CALENDAR_LENGTH - len(events)]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + text(f"-//Xarxa ESS//{get_language()}//"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + text(gettext("Xarxa ESS: events")),
    ]
    for event in events:
        lines += vevent(event, request, host, now)
    lines.append("END:VCALENDAR")
    response = HttpResponse(calendar_bytes(lines), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="xarxa-ess-events.ics"'
    return response
