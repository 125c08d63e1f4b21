"""Downloads of the public lists and the open data page.

The same filters must give the same rows on the list page, in its CSV, JSON and GeoJSON
downloads and on the API; a filtered download holds exactly the filtered rows.
"""

import csv
import gzip
import html
import io
import json
import re
from decimal import Decimal

import geojson
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import translation

from networks import filters
from networks.models import Event, Funder, Municipality, Network, Organisation

pytestmark = pytest.mark.django_db

LISTS = {
    "networks": ("network", filters.NetworkFilter, Network, "xarxa"),
    "organisations": ("organisation", filters.OrganisationFilter, Organisation, "cooperativa"),
    "funders": ("funder", filters.FunderFilter, Funder, "fundació"),
    "municipalities": ("municipality", filters.MunicipalityFilter, Municipality, "sant"),
    "events": ("event", filters.EventFilter, Event, "economia"),
}
PLACED = {"organisations", "municipalities", "events"}
# How each list reaches the municipality that places it ("" on municipalities themselves).
PLACE_PATH = {
    "networks": "memberships__municipality__",
    "organisations": "municipality__",
    "municipalities": "",
    "events": "municipality__",
}
GEOGRAPHY = ("comarca", "province")


def typed_values(field_name):
    """Values for the filters a visitor types (networks/lookups.py): entries that have members."""
    if field_name == "municipality":
        rows = Municipality.objects.in_networks().order_by("pk").values_list("slug", flat=True)
    elif field_name == "network":
        rows = Network.objects.filter(memberships__isnull=False).order_by("pk")
        rows = rows.values_list("slug_ca", flat=True).distinct()
    else:
        raise AssertionError(f"No values known for the typed filter {field_name!r}")
    return list(rows[:2])


def url(name, language, *args, query=""):
    with translation.override(language):
        path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def body(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def queries_for(key):
    """The list's filters, each with a value the seed content has, one at a time; a search."""
    _name, filterset_class, _model, word = LISTS[key]
    form = filterset_class().form
    queries = [{}, {"q": word}]
    for field_name, field in form.fields.items():
        if field_name == "q":
            continue
        if hasattr(field, "choices"):
            values = [value for value, _label in field.choices if value][:2]
        else:
            values = typed_values(field_name)
        queries += [{field_name: str(value)} for value in values]
    if key in PLACE_PATH:
        # The first choices (Alt Camp, Barcelona) may place nothing of this list: add the
        # comarca and province of an entry that has a place, so the filters select rows.
        path = PLACE_PATH[key]
        placed = _model.objects.filter(**{f"{path}comarca__isnull": False}).order_by("pk")
        comarca, province = placed.values_list(f"{path}comarca__slug_ca", f"{path}province")[0]
        queries += [{"comarca": comarca}, {"province": province}]
    return queries


def html_rows(client, key, language, query):
    """Page URLs of the entries a visitor sees on every page of the list."""
    name = LISTS[key][0]
    list_path = url(f"networks:{name}_list", language)
    pattern = re.compile(r'href="(' + re.escape(list_path) + r'[^/"?]+/)"')
    rows, path = [], url(f"networks:{name}_list", language, query=query)
    while path:
        page = body(client.get(path))
        results = page.split('class="list-layout__results"', 1)[1].split("list-downloads", 1)[0]
        # The map links every municipality it draws, whatever the filters: not the results.
        results = re.sub(r'<figure class="map.*?</figure>', "", results, flags=re.S)
        for link in pattern.findall(results):
            if link not in rows:
                rows.append(link)
        following = re.search(r'href="\?([^"]*)" rel="next"', results)
        path = list_path + "?" + html.unescape(following.group(1)) if following else None
    return rows


def read_csv(response, delimiter=","):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def csv_rows(client, key, language, query):
    name = LISTS[key][0]
    table = read_csv(client.get(url(f"networks:{name}_export", language, "csv", query=query)))
    column = table[0].index(page_header(language))
    return [row[column].removeprefix("http://testserver") for row in table[1:]]


def page_header(language):
    with translation.override(language):
        return translation.gettext("Page")


def json_rows(client, key, language, query):
    name = LISTS[key][0]
    document = json.loads(
        body(client.get(url(f"networks:{name}_export", language, "json", query=query)))
    )
    return [row["url"][language].removeprefix("http://testserver") for row in document["results"]]


def api_rows(client, key, language, query):
    rows, path = [], f"/api/v1/{key}/?" + "&".join(f"{k}={v}" for k, v in query.items())
    while path:
        response = client.get(path)
        assert response.status_code == 200, response.content
        page = response.json()
        rows += [row["url"][language].removeprefix("http://testserver") for row in page["results"]]
        path = page["next"]
    return rows


def database_rows(key, language, query):
    _name, filterset_class, model, _word = LISTS[key]
    queryset = model.objects.order_by(*model._meta.ordering, "id")
    rows = filterset_class(query or None, queryset=queryset).qs
    with translation.override(language):
        return [obj.get_absolute_url() for obj in rows]


def encode(query):
    from urllib.parse import urlencode

    return urlencode(query)


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("key", list(LISTS))
def test_every_filter_gives_the_same_rows_on_the_page_in_downloads_and_on_the_api(
    seeded, client, key, language
):
    seen_rows = False
    for query in queries_for(key):
        expected = database_rows(key, language, query)
        seen_rows = seen_rows or (bool(expected) and bool(query))
        page = html_rows(client, key, language, encode(query))
        assert sorted(page) == sorted(expected), query
        for rows in (
            csv_rows(client, key, language, encode(query)),
            json_rows(client, key, language, encode(query)),
            api_rows(client, key, language, query),
        ):
            assert rows == expected, query
    assert seen_rows, "no filter of the seed content selects anything: the test shows nothing"


@pytest.mark.parametrize("key", sorted(PLACED))
def test_geojson_validates_and_round_trips_to_the_filtered_rows(seeded, client, key):
    name, filterset_class, model, _word = LISTS[key]
    for query in queries_for(key)[:3]:
        text = body(
            client.get(url(f"networks:{name}_export", "en", "geojson", query=encode(query)))
        )
        collection = geojson.loads(text)
        assert collection.is_valid, collection.errors()
        assert collection["type"] == "FeatureCollection"
        expected = list(
            filterset_class(
                query or None, queryset=model.objects.order_by(*model._meta.ordering, "id")
            ).qs
        )
        assert [feature["id"] for feature in collection["features"]] == [obj.pk for obj in expected]
        for feature, obj in zip(collection["features"], expected, strict=True):
            place = obj if isinstance(obj, Municipality) else obj.municipality
            if place is None:
                assert feature["geometry"] is None
            else:
                longitude, latitude = feature["geometry"]["coordinates"]
                assert Decimal(str(longitude)) == place.longitude
                assert Decimal(str(latitude)) == place.latitude
            api = client.get(f"/api/v1/{key}/{obj.pk}/").json()
            assert feature["properties"] == api


@pytest.mark.parametrize("key", sorted(PLACE_PATH))
def test_the_same_rows_test_covers_comarca_and_province_with_rows_to_show(seeded, key):
    """The test above takes its filters from each FilterSet's form: comarca and province are
    among them, and at least one value of each selects rows but not every row."""
    queries = queries_for(key)
    everything = len(database_rows(key, "ca", {}))
    for name in GEOGRAPHY:
        counts = [len(database_rows(key, "ca", q)) for q in queries if name in q]
        assert counts, f"{key} has no {name} filter"
        assert any(0 < count < everything for count in counts), (key, name, counts)


@pytest.mark.parametrize("key", sorted(PLACED))
def test_csv_gives_comarca_and_province_as_names_beside_their_codes(seeded, client, key):
    name, _filterset, model, _word = LISTS[key]
    rows = list(model.objects.order_by(*model._meta.ordering, "id"))
    for language, headers in [
        ("ca", ["Comarca", "Comarca (codi)", "Província", "Província (codi)"]),
        ("en", ["Comarca", "Comarca (code)", "Province", "Province (code)"]),
    ]:
        table = read_csv(client.get(url(f"networks:{name}_export", language, "csv")))
        start = table[0].index(headers[0])
        assert table[0][start : start + 4] == headers
        assert len(table) == len(rows) + 1
        for line, obj in zip(table[1:], rows, strict=True):
            place = obj if key == "municipalities" else obj.municipality
            expected = ["", "", "", ""]
            if place is not None:
                expected = [
                    getattr(place.comarca, f"name_{language}"),
                    place.comarca.code,
                    place.get_province_display(),
                    place.province,
                ]
            assert line[start : start + 4] == expected


def test_lists_without_a_place_have_no_geojson(seeded, client):
    assert client.get(url("networks:network_export", "en", "geojson")).status_code == 404
    assert client.get(url("networks:network_export", "en", "xlsx")).status_code == 404


def test_csv_headers_follow_the_page_language_with_both_languages_and_codes(seeded, client):
    for language, name_ca, kind, kind_code in [
        ("ca", "Nom (català)", "Tipus", "Tipus (codi)"),
        ("en", "Name (Catalan)", "Kind", "Kind (code)"),
    ]:
        table = read_csv(client.get(url("networks:organisation_export", language, "csv")))
        header = table[0]
        assert name_ca in header
        assert header.index(kind_code) == header.index(kind) + 1
        organisation = Organisation.objects.order_by("name_ca", "id").first()
        first = dict(zip(header, table[1], strict=True))
        assert first[name_ca] == organisation.name_ca
        assert first[kind_code] == organisation.kind
        with translation.override(language):
            assert first[kind] == organisation.get_kind_display()


def test_semicolon_csv_uses_decimal_commas(seeded, client):
    response = client.get(
        url("networks:municipality_export", "ca", "csv", query="separator=semicolon&q=Amposta")
    )
    table = read_csv(response, delimiter=";")
    amposta = Municipality.objects.get(name="Amposta")
    row = dict(zip(table[0], table[1], strict=True))
    assert len(table) == 2
    assert row["Latitud"] == str(amposta.latitude).rstrip("0").replace(".", ",")


def test_csv_cells_never_run_as_formulas(seeded, client):
    Organisation.objects.create(
        name_ca='=HYPERLINK("http://evil.example")',
        name_en="+SUM(A1)",
        slug_ca="formula",
        slug_en="formula-en",
    )
    table = read_csv(
        client.get(url("networks:organisation_export", "en", "csv", query="q=hyperlink"))
    )
    cells = [cell for row in table[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'+SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_downloads_stream_are_open_to_any_origin_and_set_no_cookie(seeded, client):
    response = client.get(url("networks:organisation_export", "ca", "json"))
    assert response.streaming
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert client.post(url("networks:organisation_export", "ca", "json")).status_code == 405


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("key", list(LISTS))
def test_each_list_page_links_its_downloads_with_the_filters_in_use(seeded, client, key, language):
    name = LISTS[key][0]
    query = queries_for(key)[-1]
    page = html.unescape(
        body(client.get(url(f"networks:{name}_list", language, query=encode(query))))
    )
    formats = ["csv", "json", *(["geojson"] if key in PLACED else [])]
    for fmt in formats:
        assert url(f"networks:{name}_export", language, fmt, query=encode(query)) in page
    assert url("networks:open_data", language) in page


@pytest.mark.parametrize(
    "language, path, heading",
    [("ca", "/ca/dades-obertes/", "Dades obertes"), ("en", "/en/open-data/", "Open data")],
)
def test_open_data_page_lists_every_download_and_endpoint_and_the_licence(
    seeded, client, language, path, heading
):
    assert url("networks:open_data", language) == path
    page = html.unescape(body(client.get(path)))
    assert f"<h1>{heading}</h1>" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "IGN/CNIG" in page and "ICGC" in page
    for key, (name, *_rest) in LISTS.items():
        assert url(f"networks:{name}_export", language, "csv") in page
        assert f"/api/v1/{key}/" in page
    assert "/api/v1/comarques/" in page
    assert "/api/v1/docs/" in page and "/api/v1/openapi.json" in page
    # Linked from every page's footer.
    home = body(client.get(f"/{language}/"))
    assert f'href="{path}"' in home


def test_a_download_is_kept_for_the_next_visitor_until_the_content_changes(
    seeded, client, settings, tmp_path, django_assert_num_queries
):
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    csv_url = url("networks:organisation_export", "en", "csv")
    first = b"".join(client.get(csv_url).streaming_content)
    assert len(list(tmp_path.glob("*.csv"))) == 1  # complete: kept, no part left
    with django_assert_num_queries(0):
        second = client.get(csv_url)
        again = b"".join(second.streaming_content)
    assert again == first
    assert second["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    assert second["Access-Control-Allow-Origin"] == "*"
    # A browser that accepts gzip gets the kept gzip, with the same headers.
    with django_assert_num_queries(0):
        packed = client.get(csv_url, headers={"accept-encoding": "gzip, deflate, br"})
        assert gzip.decompress(b"".join(packed.streaming_content)) == first
    assert packed["Content-Encoding"] == "gzip"
    assert packed["Content-Disposition"] == second["Content-Disposition"]
    assert packed["Vary"] == second["Vary"] == "Accept-Encoding, Cookie"
    # Each language, format and filter is its own file.
    catalan = b"".join(
        client.get(url("networks:organisation_export", "ca", "csv")).streaming_content
    )
    assert catalan != first and len(list(tmp_path.glob("*.csv"))) == 2
    # An edit makes a new version: the next download has the new row, the old files go.
    Organisation.objects.create(
        name_ca="Cooperativa acabada d'afegir", name_en="Just added cooperative", slug_ca="nova"
    )
    fresh = b"".join(client.get(csv_url).streaming_content).decode("utf-8-sig")
    assert "Just added cooperative" in fresh
    (kept,) = tmp_path.glob("*.csv")  # the new download and its gzip, nothing older
    assert sorted(p.name for p in tmp_path.iterdir()) == [kept.name, kept.name + ".gz"]


def test_a_download_its_visitor_leaves_is_still_kept_whole(seeded, client, settings, tmp_path):
    """Others may be following it (networks/kept_downloads.py), and the next visitor wants it:
    the writer finishes the file, and it is the whole download."""
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    every_id = sorted(Organisation.objects.values_list("pk", flat=True))
    response = client.get(url("networks:organisation_export", "en", "json"))
    next(iter(response.streaming_content))
    # The visitor went away and the server closes the response (without the end-of-request
    # connection check, as the test client does: the test's transaction is still open). The
    # test client's own wrapper connects that check again as it closes, and on PostgreSQL it
    # closes the test's connection: nothing below asks the database.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    # The file and its gzip, no part nor lock left.
    kept, packed = sorted(tmp_path.iterdir())
    assert kept.suffix == ".json" and packed.name == kept.name + ".gz"
    data = json.loads(kept.read_bytes())
    assert sorted(row["id"] for row in data["results"]) == every_id
    assert gzip.decompress(packed.read_bytes()) == kept.read_bytes()


def test_csv_and_json_give_an_events_organisers_and_networks_as_their_ids(seeded, client):
    """Linked rows come as their ids: space-separated in a CSV cell, a list in JSON."""
    event = Event.objects.filter(organisers__isnull=False, networks__isnull=False).first()
    organisers = [o.pk for o in event.organisers.all()]
    networks = [n.pk for n in event.networks.all()]
    query = f"q={event.title_en}"
    table = read_csv(client.get(url("networks:event_export", "en", "csv", query=query)))
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    (row,) = [r for r in rows if r["ID"] == str(event.pk)]
    assert row["Organisers"] == " ".join(map(str, organisers))
    assert row["Networks involved"] == " ".join(map(str, networks))
    data = json.loads(body(client.get(url("networks:event_export", "en", "json", query=query))))
    (entry,) = [e for e in data["results"] if e["id"] == event.pk]
    assert (entry["organisers"], entry["networks"]) == (organisers, networks)
