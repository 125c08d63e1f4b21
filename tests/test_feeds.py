"""Atom feeds (events, plan status changes) and the iCalendar feed, read with real parsers."""

import datetime

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Plan, ScheduledYear, status_changes
from networks.models import Event
from tests.factories import make_action, make_event, make_line, make_plan, make_year
from tests.plans_support import parse_html

pytestmark = pytest.mark.django_db


def feed_url(name, lang, **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def parse_atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_event_feeds_are_valid_atom_in_each_language(client, seeded):
    ca = parse_atom(client, feed_url("networks:events_feed", "ca"))
    en = parse_atom(client, feed_url("networks:events_feed", "en"))
    assert ca.feed.title == "Xarxa ESS: esdeveniments"
    assert en.feed.title == "Xarxa ESS: events"
    assert ca.feed.language == "ca" and en.feed.language == "en"
    assert len(ca.entries) == len(en.entries) == Event.objects.count() > 1
    # Newest first; titles and links in the feed's language.
    assert en.entries[0].title == "XMESS assembly in Amposta"
    amposta = Event.objects.get(slug_ca="assemblea-xmess-amposta-2024")
    with translation.override("ca"):
        assert ca.entries[0].link == "http://testserver" + amposta.get_absolute_url()
    assert "octubre de 2024" in ca.entries[0].summary  # known to the month: no invented day
    founding = next(e for e in en.entries if e.title == "Founding of XMESS")
    assert founding.summary.startswith("17 May 2017")
    assert len({entry.id for entry in en.entries}) == len(en.entries)
    assert all(entry.updated_parsed for entry in en.entries)


@pytest.mark.parametrize("unit", ["a", "à", "€", "𝄞", "\\,", "\\n", "^'", "; "])
def test_the_calendar_folds_lines_exactly_as_icalendar_does(unit):
    from icalendar.parser import Contentline

    from networks.feeds import fold

    # Every cut position: a multi-byte character or an escape across the 74th octet.
    for prefix in range(80):
        for repeat in (1, 40, 120):
            line = "DESCRIPTION:" + "x" * prefix + unit * repeat + "é" * (prefix % 7)
            assert fold(line) == Contentline(line).to_ical(), (prefix, repeat)


def test_event_calendar_parses_and_holds_only_events_known_to_the_day(client, seeded):
    response = client.get(feed_url("networks:events_ical", "ca"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    day_events = Event.objects.filter(date_precision="day")
    assert len(events) == day_events.count() < Event.objects.count()
    meeting = Event.objects.get(pk=5)  # 1st International Meeting on Municipalism, 2 days
    vevent = next(e for e in events.values() if e["URL"].endswith(meeting.slug_ca + "/"))
    assert vevent.decoded("DTSTART") == datetime.date(2015, 10, 22)
    assert vevent.decoded("DTEND") == datetime.date(2015, 10, 24)  # exclusive end: 2 days
    assert str(vevent["SUMMARY"]) == meeting.title_ca
    assert not any("Amposta" in str(e["SUMMARY"]) for e in events.values())  # month only
    english = icalendar.Calendar.from_ical(
        client.get(feed_url("networks:events_ical", "en")).content
    )
    assert {str(e["UID"]) for e in english.walk("VEVENT")} == set(events)  # same events
    assert "1st International Meeting on Municipalism and Solidarity Economy" in {
        str(e["SUMMARY"]) for e in english.walk("VEVENT")
    }


def test_calendar_escapes_and_folds_text(client, db):
    make_event(
        "Jornada; economia, cures i «comunitat» — " + "llarga " * 20,
        "Day; economy, care",
        slug_ca="jornada",
        slug_en="day",
        start_date=datetime.date(2025, 5, 6),
        description_ca="Primera línia\nSegona línia amb \\ barra",
        description_en="x",
    )
    calendar = icalendar.Calendar.from_ical(
        client.get(feed_url("networks:events_ical", "ca")).content
    )
    (vevent,) = [e for e in calendar.walk("VEVENT") if e["URL"].endswith("/jornada/")]
    assert str(vevent["SUMMARY"]).startswith("Jornada; economia, cures i «comunitat» — llarga")
    assert str(vevent["SUMMARY"]).endswith("llarga ")
    assert "Primera línia\nSegona línia amb \\ barra" in str(vevent["DESCRIPTION"])
    assert vevent.decoded("DTEND") == datetime.date(2025, 5, 7)


def icalendar_reference(request, events):
    """The calendar as icalendar builds it from the same events: what the feed wrote
    before it wrote its lines itself."""
    from networks import feeds
    from networks.places import physical_place, place_parts

    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//Xarxa ESS//{translation.get_language()}//")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", translation.gettext("Xarxa ESS: events"))
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@testserver")
        entry.add("dtstamp", event.last_changed.astimezone(datetime.UTC))
        entry.add("dtstart", event.start_date)
        entry.add("dtend", (event.end_date or event.start_date) + datetime.timedelta(days=1))
        entry.add("summary", event.title)
        parts = place_parts(event)
        when_where = feeds.event_when_where(event, parts)
        entry.add("description", "\n\n".join(p for p in (when_where, event.description) if p))
        entry.add("url", request.build_absolute_uri(event.get_absolute_url()))
        if place := physical_place(event, parts):
            entry.add("location", place)
        entry.add("last-modified", event.last_changed.astimezone(datetime.UTC))
        calendar.add_component(entry)
    return calendar.to_ical()


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_the_calendar_is_what_icalendar_would_write(client, seeded, settings, lang):
    """The feed writes its lines itself (icalendar's objects were half its time): the bytes
    must be icalendar's, for every kind of text, place and length."""
    from django.test import RequestFactory

    from networks.feeds import events_with_last_change

    settings.SITE_URL = "http://testserver"
    barcelona = Event.objects.exclude(municipality=None).first().municipality
    tricky = [
        "Punt; i coma, barra \\ final\\",
        "Línies\r\nCRLF\nLF\rCR sola",
        "Llarg 𝄞€à " * 30 + "^'^n",
        "",
    ]
    for number, text in enumerate(tricky):
        make_event(
            f"Jornada {number}: {text[:60]}",
            f"Day {number}, {text[-40:]}",
            start_date=datetime.date(2026, 3, number + 1),
            end_date=datetime.date(2026, 3, number + 3) if number % 2 else None,
            description_ca=text,
            description_en=text[::-1],
            place=["Sala; gran, 2n pis", "", "En línia", "Can Batlló"][number],
            online=number == 1,
            municipality=barcelona if number != 2 else None,
        )
    with translation.override(lang):
        response = client.get(feed_url("networks:events_ical", lang))
        request = RequestFactory().get("/")
        # The feed's own events, in its order: every one known to the day.
        uids = [
            int(str(e["UID"]).split("-")[1].split("@")[0])
            for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        ]
        by_pk = events_with_last_change().in_bulk(uids)
        expected = icalendar_reference(request, [by_pk[pk] for pk in uids])
    assert len(uids) == Event.objects.filter(date_precision="day").count() > len(tricky)
    assert response.content == expected


@pytest.fixture
def plan_with_history(db):
    """A plan whose scheduled years were created and then edited with history kept."""
    plan = make_plan("Pla A", "Plan A", slug_ca="pla-a", slug_en="plan-a", end_year=2022)
    action = make_action(make_line(plan, 3), 2, "Fer-ho", title_en="Do it")
    first = make_year(action, 2020)
    second = make_year(action, 2021)
    first.status = ScheduledYear.Status.IN_PROGRESS
    first.save()
    first.note_en = "A note, no change of status"
    first.save()
    first.status = ScheduledYear.Status.DONE
    first.save()
    second.status = ScheduledYear.Status.NOT_DONE
    second.save()
    return plan


def test_status_changes_are_the_records_whose_status_moved(plan_with_history):
    changes = [(c.year, c.previous_status, c.status) for c in status_changes()]
    assert changes == [
        (2021, "planned", "not_done"),
        (2020, "in_progress", "done"),
        (2020, "planned", "in_progress"),
    ]


def test_plan_changes_feed_in_each_language(client, plan_with_history):
    en = parse_atom(client, feed_url("actions:changes_feed", "en"))
    assert [entry.title for entry in en.entries] == [
        "3.2, 2021: planned → not done",
        "3.2, 2020: in progress → done",
        "3.2, 2020: planned → in progress",
    ]
    assert en.entries[0].link.endswith("/en/plans/plan-a/lines/3/actions/2/")
    assert len({entry.id for entry in en.entries}) == 3
    ca = parse_atom(client, feed_url("actions:changes_feed", "ca"))
    assert ca.entries[0].title == "3.2, 2021: programada → no feta"
    assert ca.entries[0].link.endswith("/ca/plans/pla-a/linies/3/accions/2/")
    assert ca.feed.title == "Xarxa ESS: canvis d'estat de les accions dels plans"


def test_per_plan_feed_holds_only_that_plan(client, plan_with_history, seeded):
    seed_plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    scheduled = ScheduledYear.objects.of_plan(seed_plan).first()
    scheduled.status = ScheduledYear.Status.IN_PROGRESS
    scheduled.save()
    feed = parse_atom(client, feed_url("actions:plan_changes_feed", "en", slug="plan-a"))
    assert len(feed.entries) == 3
    feed = parse_atom(client, feed_url("actions:plan_changes_feed", "en", slug=seed_plan.slug_en))
    assert [entry.title for entry in feed.entries] == [
        "11.1, 2017: no outcome reported → in progress"
    ]
    assert feed.feed.title.startswith("Status changes: The Impetus Plan")
    assert client.get(feed_url("actions:plan_changes_feed", "en", slug="nope")).status_code == 404


def test_seed_plan_has_no_status_changes(client, seeded):
    """The seed records no outcome: loading it is not a change of status."""
    assert parse_atom(client, feed_url("actions:changes_feed", "en")).entries == []


def test_feed_queries_are_bounded(client, plan_with_history, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(feed_url("actions:changes_feed", "en"))
    with django_assert_max_num_queries(2):
        client.get(feed_url("networks:events_feed", "en"))
    with django_assert_max_num_queries(2):
        client.get(feed_url("networks:events_ical", "en"))


def test_plan_pages_advertise_the_feeds(client, plan_with_history):
    with translation.override("en"):
        url = plan_with_history.get_absolute_url()
    document = parse_html(client.get(url).content)
    feeds = document.find("head").find_all("link", type="application/atom+xml")
    for link in feeds:
        assert parse_atom(client, link.attrs["href"]).feed.title
    assert len(feeds) == 2


def test_the_calendar_holds_the_coming_events_soonest_first_then_the_latest_past_ones(client, db):
    from networks import feeds

    today = timezone.localdate()
    days = datetime.timedelta
    length = feeds.CALENDAR_LENGTH
    for day in range(1, 4):
        make_event(f"Trobada passada {day}", f"Past meeting {day}", start_date=today - days(day))

    def calendar_titles():
        response = client.get(feed_url("networks:events_ical", "en"))
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return [str(event["SUMMARY"]) for event in events]

    make_event("Fira llarga", "Long fair", start_date=today - days(9), end_date=today)
    for day in range(length - 3):
        make_event(f"Trobada {day}", f"Meeting {day}", start_date=today + days(day + 1))
    # Room for two past meetings after the coming events: the latest ones.
    coming = ["Long fair", *(f"Meeting {day}" for day in range(length - 3))]
    assert calendar_titles() == [*coming, "Past meeting 1", "Past meeting 2"]
    for day in range(length - 3, length + 3):
        make_event(f"Trobada {day}", f"Meeting {day}", start_date=today + days(day + 1))
    # More coming events than room: the soonest ones, and no past one.
    coming = ["Long fair", *(f"Meeting {day}" for day in range(length - 1))]
    assert calendar_titles() == coming
    page = client.get(feed_url("networks:event_list", "en")).content.decode()
    assert (
        f"The calendar holds {length} events known to their day: the coming ones, soonest "
        "first, then the latest past ones"
    ) in " ".join(page.split())
