"""CSV and JSON exports of a timeline: the filtered grid, row for row, ready for a spreadsheet."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Plan, ScheduledYear
from tests.plans_support import grid_cells, make_plan, parse_html
from tests.test_timeline import SEED_YEARS

pytestmark = pytest.mark.django_db

CA_HEADER = ["Pla", "Número de línia", "Títol de la línia", "Número d'acció", "Acció", "Any"]
EN_HEADER = ["Plan", "Line number", "Line title", "Action number", "Action", "Year", "Status"]


def url_for(plan, name, lang="ca", query=""):
    with translation.override(lang):
        url = reverse(f"actions:{name}", kwargs={"slug": plan.slug})
    return f"{url}?{query}" if query else url


def download(response):
    """The bytes of an export, which is streamed (a large plan's is megabytes)."""
    assert response.streaming
    return b"".join(response.streaming_content)


def read_json(response):
    return json.loads(download(response).decode("utf-8"))


def read_csv(response):
    """Read the download as a spreadsheet program would: bytes, UTF-8 with its BOM."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = download(response)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline="")))


def grid_rows(client, plan, lang, query):
    """(action, year, status text) of every scheduled cell the timeline page shows."""
    document = parse_html(client.get(url_for(plan, "timeline", lang, query)).content)
    table = document.find("table", "timeline")
    if table is None:
        return []
    return [
        (code, year, text.split(" ", 2)[2])
        for code, cells in grid_cells(document).items()
        for year, text in sorted(cells.items())
    ]


@pytest.fixture
def seed_plan(seeded):
    return Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")


def test_csv_of_the_whole_seed_plan_has_one_row_per_scheduled_action_year(client, seed_plan):
    rows = read_csv(client.get(url_for(seed_plan, "timeline_csv")))
    assert rows[0] == [*CA_HEADER, "Estat"]
    body = rows[1:]
    assert len(body) == ScheduledYear.objects.of_plan(seed_plan).count() > 0
    years = {}
    for row in body:
        years.setdefault(row[3], []).append(int(row[5]))
    assert years == SEED_YEARS
    first = body[0]
    assert first == [
        "Pla d'Impuls de l'Economia Social i Solidària 2016-2019",
        "11",
        "Facilitar a l'ESS el seu accés com a empreses proveïdores",
        "11.1",
        "Elaborar un catàleg d'empreses i iniciatives d'ESS",
        "2017",
        "sense resultat comunicat",
    ]


@pytest.mark.parametrize(
    "query", ["", "line=12", "year=2016", "line=15&year=2019", "status=not_reported&line=17"]
)
@pytest.mark.parametrize("lang", ["ca", "en"])
def test_csv_and_json_match_the_filtered_grid_row_for_row(client, seed_plan, query, lang):
    shown = grid_rows(client, seed_plan, lang, query)
    assert shown
    rows = read_csv(client.get(url_for(seed_plan, "timeline_csv", lang, query)))
    assert [(r[3], int(r[5]), r[6]) for r in rows[1:]] == shown
    document = read_json(client.get(url_for(seed_plan, "timeline_json", lang, query)))
    assert [(r["action"], r["year"], r["status"]) for r in document["rows"]] == shown
    assert document["language"] == lang


def test_status_filter_export_matches_grid(client):
    plan = make_plan({1: [[(2020, "done"), 2021], [(2021, "done"), (2022, "not_done")]]})
    for query in ["status=done", "status=done&year=2021", "status=not_done", "line=1"]:
        shown = grid_rows(client, plan, "en", query)
        rows = read_csv(client.get(url_for(plan, "timeline_csv", "en", query)))
        assert [(r[3], int(r[5]), r[6]) for r in rows[1:]] == shown, query
    assert grid_rows(client, plan, "en", "status=done") == [
        ("1.1", 2020, "done"),
        ("1.2", 2021, "done"),
    ]


def test_lang_chooses_the_other_language(client, seed_plan):
    rows = read_csv(client.get(url_for(seed_plan, "timeline_csv", "ca", "line=17&lang=en")))
    assert rows == [
        EN_HEADER,
        [
            "The Impetus Plan for the Social and Solidarity Economy 2016-2019",
            "17",
            "Support the creation of a social currency",
            "17.1",
            "Define the development model for the social currency",
            "2016",
            "no outcome reported",
        ],
        rows[2],
        rows[3],
        rows[4],
    ]
    assert [r[5] for r in rows[1:]] == ["2016", "2017", "2018", "2019"]
    document = read_json(client.get(url_for(seed_plan, "timeline_json", "en", "line=17&lang=ca")))
    assert document["language"] == "ca"
    assert document["rows"][0]["line_title"] == "Acompanyar la creació d'una moneda social"
    assert document["rows"][0]["status"] == "sense resultat comunicat"
    assert document["rows"][0]["status_code"] == "not_reported"
    assert document["filters"] == {"line": "17"}


def test_json_is_utf8_with_the_plan_and_the_page_it_comes_from(client, seed_plan):
    response = client.get(url_for(seed_plan, "timeline_json", "ca", "year=2019"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    content = download(response)
    assert "Solidària".encode() in content
    document = json.loads(content.decode("utf-8"))
    assert document["plan"] == {
        "name": "Pla d'Impuls de l'Economia Social i Solidària 2016-2019",
        "start_year": 2016,
        "end_year": 2019,
    }
    assert document["url"].endswith("/ca/plans/pla-impuls-ess-2016-2019/cronograma/?year=2019")
    assert {row["year"] for row in document["rows"]} == {2019}
    expected = ScheduledYear.objects.of_plan(seed_plan).filter(year=2019).count()
    assert len(document["rows"]) == expected > 0


def test_download_names_say_what_was_filtered(client, seed_plan):
    response = client.get(url_for(seed_plan, "timeline_csv", "en", "line=12&year=2017"))
    assert response["Content-Disposition"] == (
        'attachment; filename="impetus-plan-sse-2016-2019-timeline-12-2017.csv"'
    )


def test_the_timeline_page_links_its_exports_with_the_same_filters(client, seed_plan):
    document = parse_html(client.get(url_for(seed_plan, "timeline", "en", "line=12")).content)
    hrefs = [a.attrs["href"] for a in document.find("section", "downloads").find_all("a")]
    assert "/en/plans/impetus-plan-sse-2016-2019/timeline.csv?line=12" in hrefs
    assert "/en/plans/impetus-plan-sse-2016-2019/timeline.json?line=12" in hrefs
    assert "/en/plans/impetus-plan-sse-2016-2019/timeline.csv?line=12&lang=ca" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize("query", ["line=99", "year=next", "status=maybe", "lang=fr"])
def test_bad_export_parameters_give_400(client, seed_plan, query):
    for name in ("timeline_csv", "timeline_json"):
        response = client.get(url_for(seed_plan, name, "en", query))
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_spreadsheet_formulas_are_neutralised(client):
    plan = make_plan({1: [[2020]]})
    action = plan.lines.get().actions.get()
    action.title_en = '=HYPERLINK("http://example.com")'
    action.save()
    rows = read_csv(client.get(url_for(plan, "timeline_csv", "en")))
    assert rows[1][4] == '\'=HYPERLINK("http://example.com")'


def test_export_queries_do_not_grow_with_rows(client, seed_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        download(client.get(url_for(seed_plan, "timeline_csv")))
    with django_assert_max_num_queries(3):
        download(client.get(url_for(seed_plan, "timeline_json")))


def test_an_export_is_kept_for_the_next_download_until_a_status_changes(
    client, seed_plan, settings, tmp_path, django_assert_max_num_queries
):
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    csv_url = url_for(seed_plan, "timeline_csv", "en")
    written = client.get(csv_url)
    first = read_csv(written)
    assert len(list(tmp_path.glob("*.csv"))) == 1
    # The page cache sends the kept file without the view: no plan looked up, no row read.
    with django_assert_max_num_queries(0):
        again = client.get(csv_url)
        assert read_csv(again) == first
    assert again["Content-Disposition"] == written["Content-Disposition"]
    assert again["Content-Disposition"].endswith('-timeline.csv"')
    # A plan that is not there is never kept, so it stays a 404.
    missing = csv_url.replace(seed_plan.slug, "no-such-plan")
    assert client.get(missing).status_code == client.get(missing).status_code == 404
    read_json(client.get(url_for(seed_plan, "timeline_json", "en")))
    # Each format its own file, each with its gzip.
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".gz", ".gz", ".json"]
    scheduled = ScheduledYear.objects.filter(action__line__plan=seed_plan).order_by("pk").first()
    scheduled.status = ScheduledYear.Status.NOT_DONE
    scheduled.save()
    fresh = read_csv(client.get(csv_url))

    def not_done(rows):
        return [row[6] for row in rows[1:]].count("not done")

    assert not_done(fresh) == not_done(first) + 1
