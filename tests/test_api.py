"""The read-only API at /api/v1/: its OpenAPI document, its answers, its bounds and its headers."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from actions.models import Action, Line, Plan, ScheduledYear
from networks import filters
from networks.api.base import BY_ID_HELP
from networks.collation import sort_key
from networks.models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Province,
    StrategicLine,
    Theme,
)
from tests.factories import make_comarca

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "networks": Network,
    "organisations": Organisation,
    "memberships": Membership,
    "funders": Funder,
    "fundings": Funding,
    "municipalities": Municipality,
    "comarques": Comarca,
    "themes": Theme,
    "events": Event,
    "plans": Plan,
    "axes": Plan.axes.rel.related_model,
    "lines": Line,
    "actions": Action,
    "scheduled-years": ScheduledYear,
}
# Examples per operation and generation mode: enough to reach bad ids, bad filters and page
# numbers; few enough that the run stays within seconds.
EXAMPLES = 6


def get_json(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def all_pages(client, path, **params):
    """Every result of a list, following the ``next`` links."""
    response, page = get_json(client, path, **params)
    assert response.status_code == 200, page
    results = list(page["results"])
    while page["next"]:
        response, page = get_json(client, page["next"])
        results += page["results"]
    return results


@pytest.fixture(scope="module")
def openapi(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_valid_and_describes_every_endpoint(openapi):
    validate(openapi)
    assert openapi["openapi"].startswith("3.")
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in openapi["paths"]
        assert f"/api/v1/{name}/{{id}}/" in openapi["paths"]
    # Only reading exists.
    methods = {method for item in openapi["paths"].values() for method in item}
    assert methods == {"get"}


@pytest.mark.parametrize(
    "endpoint, filterset",
    [
        ("networks", filters.NetworkFilter),
        ("organisations", filters.OrganisationFilter),
        ("funders", filters.FunderFilter),
        ("municipalities", filters.MunicipalityFilter),
        ("events", filters.EventFilter),
        ("comarques", filters.ComarcaFilter),
    ],
)
def test_each_public_lists_filters_are_parameters_of_its_endpoint(openapi, endpoint, filterset):
    parameters = {p["name"] for p in openapi["paths"][f"/api/v1/{endpoint}/"]["get"]["parameters"]}
    assert set(filterset.base_filters) <= parameters
    assert {"q", "page", "page_size"} <= parameters


def test_the_api_documents_where_a_search_count_stops(openapi):
    from networks import search

    q = next(
        p
        for p in openapi["paths"]["/api/v1/organisations/"]["get"]["parameters"]
        if p["name"] == "q"
    )
    # The document is in the site's default language, Catalan: the bound and the count that
    # says "more" are both given.
    assert f" {search.MAX_RANKED} " in q["description"]
    assert f" {search.MAX_RANKED + 1} " in q["description"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite ranks every match")
def test_a_search_count_stops_one_past_the_ranked_matches(client, seeded, monkeypatch):
    from networks import search

    monkeypatch.setattr(search, "MAX_RANKED", 3)
    for number in range(6):
        Organisation.objects.create(
            name_ca=f"Cooperativa Límit {number}",
            name_en=f"Limit Coop {number}",
            slug_ca=f"limit-{number}",
            slug_en=f"limit-{number}-en",
        )
    response, page = get_json(client, "/api/v1/organisations/", q="Límit")
    assert response.status_code == 200 and page["count"] == 4


@pytest.fixture
def wsgi_app():
    """The real WSGI application, inside the test's transaction.

    Like Django's test client, stop the handler from closing the database connection at
    the start and end of each request: that would end the test's transaction (PostgreSQL).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_property_based_run_finds_no_server_error_and_no_schema_violation(seeded, wsgi_app):
    """Schemathesis generates valid and invalid requests for every operation of the schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2 * len(ENDPOINTS)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                # Every other check runs. Not "schema-valid data is accepted": filters whose
                # values are ids or slugs of entries (theme, line, municipalities) are typed
                # strings and integers; one that names nothing gets a 400 that says so.
                # Unencoded: the WSGI transport gives the checks the body as it comes, and a
                # cached answer comes gzipped to a client that accepts it, as its requests
                # session says it does (tests/test_caching.py checks the gzip).
                case.call_and_validate(
                    headers={"Accept-Encoding": "identity"},
                    excluded_checks=[positive_data_acceptance],
                )

            run()


def test_translated_fields_choices_and_page_urls_come_in_both_languages(seeded, client):
    network = Network.objects.filter(working_groups__isnull=False).first()
    _response, data = get_json(client, f"/api/v1/networks/{network.pk}/")
    assert data["id"] == network.pk
    assert data["name"] == {"ca": network.name_ca, "en": network.name_en}
    assert data["kind"] == network.kind
    for code in ("ca", "en"):
        with translation.override(code):
            assert data["kind_label"][code] == network.get_kind_display()
            assert data["url"][code] == "http://testserver" + network.get_absolute_url()
    assert [group["id"] for group in data["working_groups"]] == sorted(
        network.working_groups.values_list("pk", flat=True),
        key=lambda pk: sort_key(Network.objects.get(pk=pk).name_ca),  # Catalan order
    )
    lines = list(network.strategic_lines.order_by("number"))
    assert [line["number"] for line in data["strategic_lines"]] == [line.number for line in lines]


def test_an_event_known_to_the_month_gives_no_invented_day(seeded, client):
    event = Event.objects.exclude(date_precision=Event.Precision.DAY).first()
    _response, data = get_json(client, f"/api/v1/events/{event.pk}/")
    expected = {"month": event.start_date.strftime("%Y-%m"), "year": str(event.start_date.year)}
    assert data["date"] == expected[event.date_precision]
    assert data["date_precision"] == event.date_precision


def test_actions_carry_their_scheduled_years(seeded, client):
    action = Action.objects.filter(scheduled_years__isnull=False).first()
    _response, data = get_json(client, f"/api/v1/actions/{action.pk}/")
    assert data["code"] == action.code
    assert data["plan"] == action.line.plan_id
    assert [(s["year"], s["status"]) for s in data["scheduled_years"]] == list(
        action.scheduled_years.order_by("year").values_list("year", "status")
    )


def test_pages_are_stable_bounded_and_linked(seeded, client):
    expected = list(Organisation.objects.order_by("name_ca", "id").values_list("pk", flat=True))
    results = all_pages(client, "/api/v1/organisations/", page_size=4)
    assert [row["id"] for row in results] == expected
    response, data = get_json(client, "/api/v1/organisations/", page_size=4)
    assert data["count"] == len(expected)
    assert "page=2" in data["next"] and data["previous"] is None
    response, data = get_json(client, "/api/v1/organisations/", page_size=1000)
    assert response.status_code == 400 and "page_size" in data


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [("memberships", Membership), ("fundings", Funding), ("scheduled-years", ScheduledYear)],
)
def test_the_tables_linking_two_others_list_by_id_and_the_schema_says_so(
    seeded, client, openapi, endpoint, model
):
    """Their models order by a related row's name: listing by it sorted every row of the
    table with a join for each page. The documentation tells a client the order it gets."""
    results = all_pages(client, f"/api/v1/{endpoint}/", page_size=7)
    assert [row["id"] for row in results] == sorted(model.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{endpoint}/", {"page": 2, "page_size": 1})
    assert response.status_code == 200
    rows = [q["sql"] for q in queries if f'FROM "{model._meta.db_table}"' in q["sql"]]
    assert rows and not any("JOIN" in sql for sql in rows)
    listing = openapi["paths"][f"/api/v1/{endpoint}/"]["get"]["description"]
    with translation.override("ca"):  # the document's language, as the site's default
        assert str(BY_ID_HELP) in listing


@pytest.mark.parametrize(
    "query",
    [{"kind": "no-such-kind"}, {"theme": "no-such-theme"}, {"page": "0"}, {"page": "x"}],
)
def test_bad_parameters_get_a_400_that_names_them(seeded, client, query):
    response, data = get_json(client, "/api/v1/networks/", **query)
    assert response.status_code == 400
    assert set(data) == set(query)


def test_the_apis_root_links_every_endpoint_its_docs_and_its_schema(seeded, client):
    """The README names ``/api/v1/``: opening it shows where everything is, as links."""
    response, data = get_json(client, "/api/v1/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(data) == {*ENDPOINTS, "docs", "schema"}
    for name, url in data.items():
        assert url.startswith("http://testserver/api/v1/")
        linked = client.get(url)
        assert linked.status_code == 200, name
        if name in ENDPOINTS:
            assert "results" in linked.json()
    assert client.post("/api/v1/").status_code == 405


def test_a_page_past_the_end_and_an_unknown_id_get_a_404(seeded, client):
    response, _data = get_json(client, "/api/v1/networks/", page=999)
    assert response.status_code == 404
    missing = (Network.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    response, data = get_json(client, f"/api/v1/networks/{missing}/")
    assert response.status_code == 404 and "detail" in data


def test_search_finds_the_same_rows_as_the_list_page(seeded, client):
    results = all_pages(client, "/api/v1/organisations/", q="cooperativa")
    expected = Organisation.objects.search("cooperativa")
    assert {row["id"] for row in results} == set(expected.values_list("pk", flat=True))
    assert results


# --- Places: comarques and provinces -------------------------------------------------------


def province_entry(code):
    return {"code": code, "label": {"ca": Province(code).label, "en": Province(code).label}}


def test_comarques_give_both_languages_their_provinces_and_municipality_count(seeded, client):
    results = all_pages(client, "/api/v1/comarques/")
    comarques = list(Comarca.objects.order_by("name_ca", "id"))
    assert [row["id"] for row in results] == [comarca.pk for comarca in comarques]
    assert comarques
    for row, comarca in zip(results, comarques, strict=True):
        places = Municipality.objects.filter(comarca=comarca)
        assert row["code"] == comarca.code
        assert row["name"] == {"ca": comarca.name_ca, "en": comarca.name_en}
        assert row["slug"] == {"ca": comarca.slug_ca, "en": comarca.slug_en}
        assert row["municipality_count"] == places.count()
        codes = sorted(set(places.values_list("province", flat=True)))
        assert row["provinces"] == [province_entry(code) for code in codes]
        for code in ("ca", "en"):
            with translation.override(code):
                assert row["url"][code] == "http://testserver" + comarca.get_absolute_url()
            assert client.get(row["url"][code]).status_code == 200
    # Some comarca straddles two provinces in the real data; the API says so.
    assert any(len(row["provinces"]) > 1 for row in results)


def test_comarques_can_be_searched_and_picked_by_province(seeded, client):
    comarca = Comarca.objects.order_by("code").last()
    results = all_pages(client, "/api/v1/comarques/", q=comarca.name_ca)
    assert comarca.pk in [row["id"] for row in results]
    for province in Province.values:
        results = all_pages(client, "/api/v1/comarques/", province=province)
        expected = Comarca.objects.filter(municipalities__province=province).distinct()
        assert sorted(row["id"] for row in results) == sorted(e.pk for e in expected)
        assert all(province in [p["code"] for p in row["provinces"]] for row in results)
    response, data = get_json(client, "/api/v1/comarques/", province="99")
    assert response.status_code == 400 and set(data) == {"province"}


def assert_place(data, municipality):
    comarca = municipality.comarca
    assert data["comarca"]["id"] == comarca.pk
    assert data["comarca"]["code"] == comarca.code
    assert data["comarca"]["name"] == {"ca": comarca.name_ca, "en": comarca.name_en}
    with translation.override("en"):
        assert data["comarca"]["url"]["en"].endswith(comarca.get_absolute_url())
    assert data["province"] == municipality.province == municipality.ine_code[:2]
    assert data["province_label"] == province_entry(municipality.province)["label"]


def test_municipalities_and_the_places_of_organisations_and_events_say_comarca_and_province(
    seeded, client
):
    municipality = Municipality.objects.filter(organisations__isnull=False).first()
    assert_place(get_json(client, f"/api/v1/municipalities/{municipality.pk}/")[1], municipality)
    organisation = municipality.organisations.first()
    data = get_json(client, f"/api/v1/organisations/{organisation.pk}/")[1]
    assert_place(data["municipality"], municipality)
    event = Event.objects.filter(municipality__isnull=False).first()
    data = get_json(client, f"/api/v1/events/{event.pk}/")[1]
    assert_place(data["municipality"], event.municipality)


# --- Cross-origin -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/networks/", "/api/v1/openapi.json"])
def test_gets_are_open_to_any_origin(seeded, client, path):
    for method in (client.get, client.head):
        response = method(path, headers={"Origin": "https://example.org"})
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_nothing_but_reading_is_open(seeded, client, method):
    response = getattr(client, method)(
        "/api/v1/networks/", headers={"Origin": "https://example.org"}
    )
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response
    assert Network.objects.count() > 0


def test_answers_set_no_cookie_and_a_shared_cache_may_keep_them(seeded, client):
    response = client.get("/api/v1/networks/")
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    # Anonymous readers share one copy per language; Cookie keeps it from someone signed in
    # (networks/page_cache.py), Accept-Encoding its gzip from a client without gzip, and
    # nothing else splits it.
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    assert vary <= {"accept-language", "cookie", "accept-encoding"}


# --- Query counts ------------------------------------------------------------------------


def populate(n):
    """``n`` of everything, each with ``n`` related rows: an N+1 shows as a count that grows."""
    tag = Theme.objects.count()
    themes = [
        Theme.objects.create(
            name_ca=f"T{tag}-{i}",
            name_en=f"T{tag}-{i}",
            slug_ca=f"t{tag}-{i}",
            slug_en=f"t{tag}e-{i}",
        )
        for i in range(n)
    ]
    provinces = ("08", "17", "25", "43")
    # After the real comarques (which a migration may have loaded), each place its own one.
    first_code = 1 + max(
        (int(code) for code in Comarca.objects.values_list("code", flat=True)), default=0
    )
    places = [
        Municipality.objects.create(
            # A real province prefix, then 9: no real municipality's code.
            ine_code=f"{provinces[i % 4]}9{tag % 10}{i}",
            idescat_code=f"{provinces[i % 4]}9{tag % 10}{i}0",
            name=f"Poble {tag}-{i}",
            slug=f"poble-{tag}-{i}",
            latitude="41.5",
            longitude="2.1",
            comarca=make_comarca(code=f"{first_code + i:02d}"),
        )
        for i in range(n)
    ]

    def named(model, i, **fields):
        name = f"{model.__name__} {tag}-{i}"
        slug = f"{model.__name__.lower()}-{tag}-{i}"
        label = "title" if model is Event else "name"
        return model.objects.create(
            **{f"{label}_ca": name, f"{label}_en": name, "slug_ca": slug, "slug_en": slug + "-en"},
            **fields,
        )

    organisations = [named(Organisation, i, municipality=places[i]) for i in range(n)]
    funder = named(Funder, 0, kind=Funder.Kind.FOUNDATION)
    hub = named(Network, "hub")
    networks = [named(Network, i, parent=hub) for i in range(n)]
    plan = named(Plan, 0, owner=organisations[0], start_year=2020, end_year=2023)
    for i, network in enumerate([hub, *networks]):
        network.themes.set(themes)
        StrategicLine.objects.create(network=network, number=1, title_ca="L", title_en="L")
        for organisation, place in zip(organisations, places, strict=True):
            Membership.objects.create(network=network, organisation=organisation)
            Membership.objects.create(network=network, municipality=place)
        Funding.objects.create(funder=funder, network=network, start_year=2020)
        line = Line.objects.create(plan=plan, number=i + 1, title_ca="L", title_en="L")
        action = Action.objects.create(line=line, position=1, title_ca="A", title_en="A")
        action.networks.add(network)
        action.organisations.set(organisations)
        action.municipalities.set(places)
        for year in (2020, 2021):
            ScheduledYear.objects.create(action=action, year=year)
    for organisation in organisations:
        organisation.themes.set(themes)
    for i in range(n):
        event = named(Event, i, start_date="2021-03-01", municipality=places[i])
        event.networks.set(networks)
        event.organisers.set(organisations)
        event.themes.set(themes)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


API_QUERY_CAP = 8


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_list_and_entry_runs_the_same_few_queries_for_few_or_many_rows(client, endpoint):
    populate(2)
    model = ENDPOINTS[endpoint]
    entry = model.objects.order_by("pk").first()
    few = count_queries(client, f"/api/v1/{endpoint}/?page_size=100")
    few_entry = count_queries(client, f"/api/v1/{endpoint}/{entry.pk}/")
    populate(9)
    many = count_queries(client, f"/api/v1/{endpoint}/?page_size=100")
    many_entry = count_queries(client, f"/api/v1/{endpoint}/{entry.pk}/")
    assert few == many <= API_QUERY_CAP
    assert few_entry == many_entry <= API_QUERY_CAP


# --- Documentation page -----------------------------------------------------------------------


def test_docs_page_loads_our_own_files_and_no_inline_script(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html and "style=" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for path in (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/js/api-docs.js",
    ):
        assert client.get(path).status_code == 200


def test_linked_ids_come_in_their_rows_order_without_a_query_per_row(client, db):
    """Actions and events give the ids they link to (read from the link tables, no row built
    for each), in the linked rows' order (Catalan names), on the list and on the detail."""
    from tests.factories import (
        make_action,
        make_event,
        make_municipality,
        make_network,
        make_organisation,
    )

    networks = [make_network(name) for name in ("Xarxa Zeta", "Àlies xarxa", "Xarxa Beta")]
    organisations = [make_organisation(name) for name in ("Obrador", "Ésser", "Cal Pla")]
    towns = [make_municipality(name) for name in ("Vic", "Àger", "Olot")]
    by_name = {
        "networks": sorted(
            networks, key=lambda row: ["Àlies xarxa", "Xarxa Beta", "Xarxa Zeta"].index(row.name_ca)
        ),
        "organisations": sorted(
            organisations, key=lambda row: ["Cal Pla", "Ésser", "Obrador"].index(row.name_ca)
        ),
        "municipalities": sorted(towns, key=lambda row: ["Àger", "Olot", "Vic"].index(row.name)),
    }
    expected = {name: [row.pk for row in rows] for name, rows in by_name.items()}
    actions = [make_action() for _ in range(3)]
    events = [make_event(f"Trobada {n}") for n in range(3)]
    for action in actions:
        action.networks.set(networks)
        action.organisations.set(organisations)
        action.municipalities.set(towns)
    for event in events:
        event.networks.set(networks)
        event.organisers.set(organisations)
    action, event = actions[0], events[0]
    assert get_json(client, f"/api/v1/actions/{action.pk}/")[1]["networks"] == expected["networks"]
    with CaptureQueriesContext(connection) as few:
        _response, page = get_json(client, "/api/v1/actions/", network=networks[0].pk, page_size=1)
    for row in page["results"]:
        assert {name: row[name] for name in expected} == expected
    _response, page = get_json(client, "/api/v1/events/", network=networks[0].slug_ca)
    assert {row["id"] for row in page["results"]} == {row.pk for row in events}
    for row in page["results"]:
        assert row["networks"] == expected["networks"]
        assert row["organisers"] == expected["organisations"]
    detail = get_json(client, f"/api/v1/events/{event.pk}/")[1]
    assert detail["organisers"] == expected["organisations"]
    with CaptureQueriesContext(connection) as many:
        _response, page = get_json(client, "/api/v1/actions/", network=networks[0].pk, page_size=3)
    assert {row["id"] for row in page["results"]} == {row.pk for row in actions}
    assert len(many) == len(few)  # no query per action


def test_a_choice_filter_left_empty_filters_nothing_and_the_schema_says_so(seeded, client):
    """As a form sends "any": found by the property-based test, which took the schema's
    enum of choices at its word and expected ``?kind=`` to be refused."""
    _response, everything = get_json(client, "/api/v1/organisations/")
    response, unfiltered = get_json(client, "/api/v1/organisations/", kind="")
    assert response.status_code == 200 and unfiltered["count"] == everything["count"]
    assert client.get("/api/v1/organisations/", {"kind": "nonsense"}).status_code == 400
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    kind = next(parameter for parameter in parameters if parameter["name"] == "kind")
    assert "" in kind["schema"]["enum"] and "cooperative" in kind["schema"]["enum"]
