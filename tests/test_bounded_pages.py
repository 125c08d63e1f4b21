"""Every public page stays bounded whatever the data: long relations are previewed with their
total and a link to the filtered list, or paginated; lists count and page up to a cap;
filters that name a municipality or a network are text resolved on the server.

The data here is small (60-odd rows per relation, past every preview size) so an N+1 query
or a missing bound shows in seconds; the figures at 100,000 organisations come from
tests/explain_scale.py and the load test.
"""

import json
import re

import pytest
from django.utils import translation

from actions.models import Action
from actions.sections import (
    COMARCA_ACTION_LIMIT,
    SHOWN_ACTIONS,
    comarca_actions,
    municipality_actions,
)
from networks import search, views
from networks.models import Membership, Municipality, Organisation
from tests.factories import (
    make_action,
    make_event,
    make_funder,
    make_funding,
    make_line,
    make_membership,
    make_municipality,
    make_network,
    make_organisation,
    make_plan,
    make_theme,
    make_year,
)
from tests.test_public_pages import QUERY_CAP, object_url, timeline_url, url_in

pytestmark = pytest.mark.django_db

MANY = views.PREVIEW + 10
MAX_HTML = 150_000
# An inline map has a budget of its own (tests/test_geography.py): the page is weighed without it.
INLINE_MAP = re.compile(rb'<svg class="map__svg".*?</svg>', re.S)


def html_bytes(response):
    return len(INLINE_MAP.sub(b"", response.content))


@pytest.fixture
def big(db):
    """One of everything, each with more related rows than a page shows."""
    town = make_municipality("Vila Gran")
    theme = make_theme("Tema gran", "Big theme")
    network = make_network("Xarxa gran", "Big network")
    network.themes.add(theme)
    funder = make_funder("Fons gran", "Big fund")
    organisations = []
    for number in range(MANY):
        organisation = make_organisation(f"Entitat {number:03}", municipality=town)
        organisation.themes.add(theme)
        organisations.append(organisation)
        make_membership(network, organisation)
        make_membership(network, make_municipality(f"Vilaprova {number:03}"))
        make_funding(funder, organisation=organisation, start_year=2000 + number % 20)
    member = organisations[0]
    for number in range(MANY):
        make_membership(make_network(f"Altra xarxa {number:03}"), member)
        make_membership(make_network(f"Xarxa local {number:03}"), town)
    for number in range(views.EVENTS_PREVIEW + 5):
        event = make_event(f"Trobada {number:03}", municipality=town)
        event.networks.add(network)
        event.organisers.add(member)
    plan = make_plan("Pla gran", "Big plan", municipality=town, start_year=2020, end_year=2021)
    line = make_line(plan, 1)
    for position in range(1, SHOWN_ACTIONS + 10):
        action = make_action(line, position)
        action.networks.add(network)
        action.organisations.add(member)
        make_year(action, 2020)
    return {
        "network": network,
        "organisation": member,
        "municipality": town,
        "theme": theme,
        "funder": funder,
        "plan": plan,
    }


def test_detail_pages_stay_bounded_in_queries_and_size(client, big, django_assert_max_num_queries):
    plan = big["plan"]
    line = plan.lines.get()
    action = line.actions.first()
    for language in ("ca", "en"):
        urls = {
            kind: object_url(big[kind], language)
            for kind in ("network", "organisation", "municipality", "theme", "funder", "plan")
        }
        urls |= {
            "network in a year": urls["network"] + "?year=2020",
            "comarca": object_url(big["municipality"].comarca, language),
            "line": object_url(line, language),
            "action": object_url(action, language),
            "timeline": timeline_url(plan, language),
            "filtered timeline": timeline_url(plan, language, "?year=2020&line=1&status=planned"),
            "search": url_in(language, "networks:search") + "?q=entitat",
        }
        for kind, url in urls.items():
            with django_assert_max_num_queries(QUERY_CAP, info=kind):
                response = client.get(url)
            assert response.status_code == 200, kind
            assert html_bytes(response) < MAX_HTML, kind


def test_a_network_page_counts_a_new_member_at_once(client, big):
    """Its member counts are kept per content version: the next view, even one rendered for
    a session (never the page cache's copy), counts the membership just added."""
    network = big["network"]
    client.cookies["sessionid"] = "no-such-session"
    with translation.override("en"):
        url = network.get_absolute_url()
    organisations = Organisation.objects.filter(memberships__network=network).count()
    assert f"Organisations ({organisations})" in client.get(url).content.decode()
    make_membership(network, make_organisation("Entitat nouvinguda"))
    body = client.get(url).content.decode()
    assert f"Organisations ({organisations + 1})" in body
    assert f"Showing {views.PREVIEW} of {organisations + 1}." in body


def test_network_page_previews_its_members_and_links_to_all_of_them(client, big):
    network = big["network"]
    with translation.override("en"):
        body = client.get(network.get_absolute_url()).content.decode()
    member_rows = re.findall(r'<th scope="row"><a href="/en/organisations/', body)
    assert len(member_rows) == views.PREVIEW
    organisations = Organisation.objects.filter(memberships__network=network).count()
    assert f"Organisations ({organisations})" in body
    assert f"Showing {views.PREVIEW} of {organisations}." in body
    full_list = f"/en/organisations/?network={network.slug_ca}"
    assert full_list in body
    listed = client.get(full_list).content.decode()
    assert f'role="status">{organisations} results' in listed
    municipalities = f"/en/municipalities/?network={network.slug_ca}"
    assert municipalities in body
    assert f"{Municipality.objects.members_of(network).count()} results" in (
        client.get(municipalities).content.decode()
    )
    # The JSON-LD names the members the page shows (organisations and councils), not all.
    councils = re.findall(r'<th scope="row"><a href="/en/municipalities/', body)
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', body, re.S)[1])
    assert len(data["member"]) == len(member_rows) + len(councils)
    assert len([m for m in data["member"] if m["@type"] == "Organization"]) == views.PREVIEW


def test_municipality_page_previews_organisations_networks_events_and_actions(client, big):
    town = big["municipality"]
    body = client.get(object_url(town, "en")).content.decode()
    for list_path, count in [
        ("/en/organisations/", town.organisations.count()),
        ("/en/networks/", Membership.objects.filter(municipality=town).count()),
        ("/en/events/", town.events.count()),
    ]:
        url = f"{list_path}?municipality={town.slug}"
        assert url.replace("&", "&amp;") in body, url
        assert f'role="status">{count} results' in client.get(url).content.decode()
    assert f"Showing {SHOWN_ACTIONS} of {SHOWN_ACTIONS + 9}." in body
    assert "Progress year by year" in body
    scheduled = SHOWN_ACTIONS + 9
    assert f"0 of {scheduled} action-years reported" in body
    # The summary is kept per content version: an outcome reported shows at once.
    year = big["plan"].lines.get().actions.first().scheduled_years.get()
    year.status = year.Status.DONE
    year.save()
    body = client.get(object_url(town, "en")).content.decode()
    assert f"1 of {scheduled} action-years reported" in " ".join(body.split())


def test_a_place_lists_its_first_actions_in_order_and_counts_every_change_at_once(client, big):
    town = big["municipality"]
    newer = make_plan("Pla nou", "Newer plan", municipality=town, start_year=2024, end_year=2025)
    line = make_line(newer, 2)
    second, first = make_action(line, 3), make_action(line, 1)
    older = list(big["plan"].lines.get().actions.order_by("position"))
    shown = municipality_actions(None, town)["shown_actions"]
    # The newest plan first, then by line and position; the older plan's follow.
    assert shown.rows == [first, second, *older[: SHOWN_ACTIONS - 2]]
    assert shown.count == len(older) + 2
    # An action elsewhere that names the town counts at once (a many-to-many change).
    elsewhere = make_action(make_line(make_plan("Pla d'altri", "Another's plan"), 1), 1)
    elsewhere.municipalities.add(town)
    body = client.get(object_url(town, "en")).content.decode()
    assert f"Showing {SHOWN_ACTIONS} of {len(older) + 3}." in body
    comarca = comarca_actions(None, town.comarca)
    in_order = Action.objects.concerning_comarca(town.comarca).order_by(*Action._meta.ordering)
    assert comarca["actions"] == list(in_order[:COMARCA_ACTION_LIMIT])
    assert comarca["more"] == len(older) + 3 - COMARCA_ACTION_LIMIT
    # So does an action of a newer plan, which is shown first (the first keys are kept per
    # content version with the count).
    newest = make_plan(
        "Pla novíssim", "Newest plan", municipality=town, start_year=2026, end_year=2027
    )
    top = make_action(make_line(newest, 1), 1)
    assert municipality_actions(None, town)["shown_actions"].rows[0] == top
    assert comarca_actions(None, town.comarca)["actions"][0] == top
    # A town that no action concerns reads no action at all.
    quiet = make_municipality("Vila Quieta")
    assert municipality_actions(None, quiet)["shown_actions"].count == 0


def test_funder_fundings_are_paginated(client, big):
    funder = big["funder"]
    url = object_url(funder, "en")
    first = client.get(url).content.decode()
    second = client.get(f"{url}?page=2").content.decode()
    per_page = views.FunderDetailView.fundings_per_page
    rows = [len(re.findall(r'<th scope="row">', page)) for page in (first, second)]
    assert rows == [per_page, funder.fundings.count() - per_page]
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert f"{funder.fundings.count()} fundings recorded." in first
    assert '<span aria-current="page">Page 2 of 2</span>' in second
    # Past the last page: the last one.
    assert '<span aria-current="page">Page 2 of 2</span>' in (
        client.get(f"{url}?page=9").content.decode()
    )
    # A page number that makes no sense gives the first page, not an error.
    assert client.get(f"{url}?page=nonsense").status_code == 200


def test_organisation_and_theme_pages_show_the_first_entries_and_the_total(client, big):
    organisation = big["organisation"]
    body = client.get(object_url(organisation, "en")).content.decode()
    memberships = organisation.memberships.count()
    assert f"Showing {views.PREVIEW} of {memberships}." in body
    assert f"Showing {SHOWN_ACTIONS} of {SHOWN_ACTIONS + 9}." in body
    theme = big["theme"]
    body = client.get(object_url(theme, "en")).content.decode()
    assert f"Showing {views.PREVIEW} of {theme.organisations.count()}." in body
    assert f"/en/organisations/?theme={theme.slug_ca}" in body


def test_lists_count_and_page_up_to_a_cap(client, big, monkeypatch):
    monkeypatch.setattr(views, "MAX_BROWSABLE", 30)
    body = client.get("/en/organisations/").content.decode()
    assert "More than 30 results" in body
    assert "Page 1 of 2" in body
    # Past the last browsable page: the last one.
    assert "Page 2 of 2" in client.get("/en/organisations/?page=99").content.decode()
    # A search ranks a bounded number of matches, and says so in the same way.
    monkeypatch.setattr(search, "MAX_RANKED", 20)
    monkeypatch.setattr(views, "MAX_RANKED", 20)
    town = big["municipality"].slug
    body = client.get(f"/en/organisations/?q=entitat&municipality={town}").content.decode()
    assert "More than 20 results" in body
    # Its map counts those matches only, and says so; a browsable list's map counts all.
    note = "The map counts the first 20 matches of the search only"
    assert note in " ".join(body.split())
    assert "The map counts" not in client.get("/en/organisations/").content.decode()


def test_deep_pages_read_the_same_rows_as_shallow_ones(client, big, monkeypatch):
    from networks import pagination

    names = re.compile(r'class="card__title"><a href="[^"]+">([^<]+)</a>')

    def pages():
        return [
            names.findall(client.get(f"/en/organisations/?page={n}").content.decode())
            for n in (2, 3)
        ]

    shallow = pages()
    monkeypatch.setattr(pagination, "DEFER_FROM", 0)
    deferred = pages()
    assert shallow == deferred and shallow[0] and shallow[0] != shallow[1]


def test_a_search_finds_its_page_and_its_total_in_one_query(client, big, monkeypatch):
    """A ranked search's page comes with its total (a window count over the matches): the
    same rows, total and pages as counting the matches in a query of their own, with the
    matches searched for once. (On PostgreSQL the page's rows are then read by key in a
    query that searches nothing: networks/ranking.py.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks import api, pagination

    names = re.compile(r'class="card__title"><a href="[^"]+">([^<]+)</a>')
    status = re.compile(r'role="status">([^<]+)<')
    where = re.compile(r"Page \d+ of \d+")
    search_url = f"/en/organisations/?q=entitat&municipality={big['municipality'].slug}"
    api_url = search_url.replace("/en/organisations/", "/api/v1/organisations/") + "&page_size=30"

    # What a query that searches for the matches says: the match operator, or on SQLite
    # the folded text it matches against.
    searching = "@@" if connection.vendor == "postgresql" else "xmess_fold("

    def searches(run):
        return sum(searching in query["sql"] for query in run.captured_queries)

    def read():
        seen, queries = [], []
        for page in ("", "&page=2", "&page=3", "&page=99", "&page=abc", "&page=0", "&page=%C2%B2"):
            with CaptureQueriesContext(connection) as run:
                body = client.get(search_url + page).content.decode()
            queries.append((searches(run), len(run)))
            seen.append((names.findall(body), status.findall(body), where.findall(body)))
        for page in ("", "&page=3", "&page=4"):
            with CaptureQueriesContext(connection) as run:
                response = client.get(api_url + page)
            queries.append((searches(run), len(run)))
            data = response.json()
            seen.append((response.status_code, data.get("count"), data.get("results")))
        return seen, queries

    client.cookies["sessionid"] = "rendered-each-time"  # not served from the page cache
    # The API's total is kept per content version (test_caching): counted each time here,
    # so that what is compared is the count itself.
    monkeypatch.setattr(api.pagination, "cached_by_version", lambda _name, compute: compute())
    read()  # what is kept per content version (the map's counts) is kept from here on
    together, together_queries = read()
    monkeypatch.setattr(pagination, "RANK", "no-such-annotation")  # count them apart
    apart, apart_queries = read()
    assert together == apart
    assert together[0][0] and together[0][0] != together[1][0]
    assert together[0][1] == [f"{MANY} results"] and together[0][2] == ["Page 1 of 3"]
    assert together[3][2] == together[5][2] == ["Page 3 of 3"]  # past the end: the last
    assert together[4][2] == together[6][2] == ["Page 1 of 3"]  # not a number: the first
    assert together[7][1] == MANY and together[9][0] == 404
    # Each page within the matches searches once where it searched twice, in no more
    # queries. Past the end, once more: the page read finds no row to carry the total,
    # which is then counted as before. What is not a page number is counted as before.
    fewer = [a[0] - t[0] for t, a in zip(together_queries, apart_queries, strict=True)]
    assert fewer == [1, 1, 1, -1, 0, 0, 0, 1, 1, -1]
    within = [0, 1, 2, 7, 8]
    assert all(together_queries[i][1] <= apart_queries[i][1] for i in within)


def test_a_page_number_past_any_sql_offset_is_past_the_end_not_an_error(client, big):
    """Found by the API's property-based test: a search's page read with its total asked
    the database for an OFFSET past a 64-bit integer, and SQLite answered with an error."""
    huge = "874082729589452308480"
    town = big["municipality"].slug
    for query in (f"q=entitat&municipality={town}&", ""):
        response = client.get(f"/en/organisations/?{query}page={huge}")
        assert response.status_code == 200
        assert re.search(r"Page (\d+) of \1\b", response.content.decode())  # the last
        assert client.get(f"/api/v1/organisations/?{query}page={huge}").status_code == 404


def test_municipality_filter_is_typed_and_resolved_on_the_server(
    client, big, django_assert_max_num_queries
):
    town = big["municipality"]
    for query, expected in [
        (town.slug, "found"),  # the slug, as links always wrote it
        ("Vila Gran", "found"),
        ("vila gràn", "found"),  # accents and case do not matter
        ("vilaprova", "several"),
        ("zzzz", "none"),
    ]:
        with django_assert_max_num_queries(QUERY_CAP):
            response = client.get("/en/organisations/", {"municipality": query})
        assert response.status_code == 200
        body = response.content.decode()
        if expected == "found":
            assert f'role="status">{town.organisations.count()} results' in body, query
            assert "not understood" not in body
        elif expected == "several":
            assert "Several municipalities match" in body
            assert "Vilaprova 000" in body  # a few of them, named
            assert "type more of the name" in body
        else:
            assert "No municipality matches" in body
        # No drop-down of every municipality: a text field.
        assert 'name="municipality"' in body and '<select name="municipality"' not in body


def test_network_filter_accepts_a_slug_or_a_name_in_either_language(client, big):
    expected = Municipality.objects.members_of(big["network"]).count()
    for query in [big["network"].slug_ca, big["network"].slug_en, "Xarxa gran", "big network"]:
        body = client.get("/en/municipalities/", {"network": query}).content.decode()
        assert f'role="status">{expected} results' in body, query


def test_timeline_of_a_large_plan_is_paginated(client, big, django_assert_max_num_queries):
    plan = big["plan"]
    with translation.override("en"):
        url = plan.get_timeline_url()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert html_bytes(response) < MAX_HTML


def test_a_line_with_many_actions_shows_them_a_page_at_a_time(client, db):
    line = make_line(make_plan("Pla llarg", "Long plan", start_year=2024, end_year=2025), 1)
    for position in range(1, 62):
        make_year(make_action(line, position), 2024)
    with translation.override("en"):
        url = line.get_absolute_url()
    first = client.get(url).content.decode()
    rows = re.compile(r'<th scope="row" role="rowheader" class="action-cell"><a href="([^"]+)"')
    assert len(rows.findall(first)) == 50
    assert "<dd>61</dd>" in first  # the line's total stays on every page
    assert 'href="?page=2#line-actions" rel="next"' in first
    assert '<span aria-current="page">Page 1 of 2</span>' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert len(rows.findall(second)) == 11
    assert 'rel="next"' not in second and 'href="?page=1#line-actions" rel="prev"' in second
    assert set(rows.findall(first)) | set(rows.findall(second)) == {
        action.get_absolute_url().replace("/ca/", "/en/") for action in line.actions.all()
    }
    # A bogus page number shows the first page, not an error.
    assert len(rows.findall(client.get(url, {"page": "x"}).content.decode())) == 50
