"""JSON-LD of every kind of detail page: it parses, and uses only schema.org terms.

The allowed types and properties come from tests/data/schema_org_terms.json, extracted from
schema.org's vocabulary (see the file's _source), not from our own reading of it.
"""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Action, Line, Plan, ScheduledYear
from networks.models import Event, Funder, Municipality, Network, Organisation, Theme

pytestmark = pytest.mark.django_db

TERMS = json.loads((Path(__file__).parent / "data" / "schema_org_terms.json").read_text())["types"]
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def nodes(value):
    """Every JSON-LD node (a dict) inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


def structured_data(client, obj, language="en", timeline=False):
    with translation.override(language):
        path = obj.get_timeline_url() if timeline else obj.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    blocks = SCRIPT.findall(response.content.decode())
    assert blocks, f"no JSON-LD on {path}"
    return [json.loads(block) for block in blocks]


def check_terms(document):
    assert document["@context"] == "https://schema.org"
    for node in nodes(document):
        if "@type" not in node:
            # A value object without a type is not a node (e.g. a plain mapping): refuse it.
            raise AssertionError(f"node without @type: {node}")
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        for kind in kinds:
            assert kind in TERMS, f"not a schema.org type we checked: {kind}"
            unknown = {key for key in node if not key.startswith("@")} - set(TERMS[kind])
            assert not unknown, f"{kind} has no property {sorted(unknown)}"
        for key in ("startDate", "endDate", "foundingDate", "dateCreated"):
            if key in node:
                assert ISO_DATE.match(node[key]), node[key]


def pages():
    """One entry of every kind of detail page (and the timeline), from the seed content."""
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    return {
        "network": Network.objects.get(acronym="XMESS"),
        "council": Organisation.objects.get(name_ca="Ajuntament de Barcelona"),
        "organisation": Organisation.objects.exclude(kind=Organisation.Kind.PUBLIC_BODY).first(),
        "funder": Funder.objects.get(name_en="European Union"),
        "municipality": Municipality.objects.get(name="Barcelona"),
        "event": Event.objects.exclude(date_precision=Event.Precision.DAY).first(),
        "theme": Theme.objects.get(slug_en="municipalism"),
        "plan": plan,
        "line": Line.objects.get(plan=plan, number=12),
        "action": Action.objects.filter(line__plan=plan, scheduled_years__isnull=False).first(),
        "timeline": plan,
    }


KINDS = [
    "network",
    "council",
    "organisation",
    "funder",
    "municipality",
    "event",
    "theme",
    "plan",
    "line",
    "action",
    "timeline",
]


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_page_type_has_json_ld_with_only_schema_org_terms(seeded, client, kind, language):
    obj = pages()[kind]
    for document in structured_data(client, obj, language, timeline=kind == "timeline"):
        check_terms(document)
        assert document.get("@id", "").startswith("http://testserver/")


def test_councils_are_government_organisations_and_municipalities_places(seeded, client):
    [council] = structured_data(client, pages()["council"])
    assert council["@type"] == "GovernmentOrganization"
    [municipality] = structured_data(client, pages()["municipality"])
    assert municipality["@type"] == "AdministrativeArea"
    place = pages()["municipality"]
    assert municipality["geo"]["latitude"] == float(place.latitude)
    assert {"INE": place.ine_code} == {
        i["propertyID"]: i["value"] for i in municipality["identifier"] if i["propertyID"] == "INE"
    }


def test_a_networks_members_are_its_organisations_and_municipalities(seeded, client):
    network = pages()["network"]
    [document] = structured_data(client, network)
    names = {member["name"] for member in document["member"]}
    memberships = network.memberships.select_related("organisation", "municipality")
    with translation.override("en"):
        expected = {str(m.member) for m in memberships}
    assert names == expected
    assert any(member["@type"] == "GovernmentOrganization" for member in document["member"])


def test_an_event_known_to_the_month_has_no_invented_day(seeded, client):
    event = pages()["event"]
    [document] = structured_data(client, event)
    expected = {"month": event.start_date.isoformat()[:7], "year": str(event.start_date.year)}
    assert document["startDate"] == expected[event.date_precision]


def test_plans_and_actions_have_ids_and_actions_no_made_up_times(seeded, client):
    [plan] = structured_data(client, pages()["plan"])
    assert plan["@id"] == plan["url"]
    action = pages()["action"]
    [document] = structured_data(client, action)
    assert document["@id"] == document["url"]
    assert "startTime" not in document and "endTime" not in document
    for year in action.scheduled_years.values_list("year", flat=True):
        assert str(year) in document["description"]


# --- Feeds ------------------------------------------------------------------------------------


def atom_entries(client, path):
    import feedparser

    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed.entries


@pytest.mark.parametrize("language", ["ca", "en"])
def test_atom_entries_have_absolute_ids_and_an_author(seeded, client, language):
    # A status change gives the plan-changes feed an entry to show.
    scheduled = ScheduledYear.objects.exclude(status=ScheduledYear.Status.DONE).first()
    scheduled.status = ScheduledYear.Status.DONE
    scheduled.save()
    for name in ("networks:events_feed", "actions:changes_feed"):
        with translation.override(language):
            path = reverse(name)
        entries = atom_entries(client, path)
        assert entries, name
        for entry in entries:
            assert entry.id.startswith("http"), entry.id
            assert entry.author == "Xarxa ESS"


def test_the_event_list_says_which_events_the_calendar_leaves_out(seeded, client):
    page = client.get(reverse("networks:event_list")).content.decode()
    assert "iCalendar" in page
    assert "leaves out the events known only to their month or year" in page or (
        "deixa fora els esdeveniments" in page
    )
