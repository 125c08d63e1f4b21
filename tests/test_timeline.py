"""The timeline grid of a plan: years, statuses, filters, the "this year" view, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action, Plan, ScheduledYear
from actions.views import TimelineView
from tests.factories import make_action, make_year
from tests.plans_support import grid_cells, make_plan, parse_html

pytestmark = pytest.mark.django_db

ALL = [2016, 2017, 2018, 2019]

# The "Accions Anys" tables of seed 002 (the 2016-2019 plan, lines 11 to 17), copied by hand
# from /work/shared/seeds/002_560c0459b0e214a1.txt: action number -> years it is scheduled.
SEED_YEARS = {
    "11.1": [2017],
    "11.2": [2017, 2018],
    "11.3": [2017],
    "12.1": [2017],
    "12.2": ALL,
    "12.3": [2017],
    "12.4": [2016, 2017],
    "12.5": [2017, 2018],
    "12.6": [2016, 2017],
    "13.1": ALL,
    "13.2": ALL,
    "13.3": ALL,
    "13.4": ALL,
    "13.5": ALL,
    "13.6": ALL,
    "14.1": ALL,
    "14.2": ALL,
    "15.1": ALL,
    "15.2": ALL,
    "15.3": ALL,
    "15.4": ALL,
    "15.5": [2017, 2018],
    "16.1": ALL,
    "16.2": ALL,
    "16.3": ALL,
    "17.1": [2016],
    "17.2": [2017, 2018],
    "17.3": [2019],
}


def timeline_url(plan, lang="ca", **params):
    with translation.override(lang):
        url = reverse("actions:timeline", kwargs={"slug": plan.slug})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


@pytest.fixture
def seed_plan(seeded):
    return Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")


def test_seed_grid_shows_exactly_the_years_of_the_plan_tables(client, seed_plan):
    response = client.get(timeline_url(seed_plan))
    assert response.status_code == 200
    grid = grid_cells(parse_html(response.content))
    assert {code: sorted(years) for code, years in grid.items()} == SEED_YEARS
    # Every scheduled cell says its year and status in words (the seed records no outcome).
    for code, cells in grid.items():
        for year, text in cells.items():
            assert text == f"{year}: ? sense resultat comunicat", code


def test_seed_grid_in_english_has_the_same_years(client, seed_plan):
    response = client.get(timeline_url(seed_plan, "en"))
    grid = grid_cells(parse_html(response.content))
    assert {code: sorted(years) for code, years in grid.items()} == SEED_YEARS
    assert grid["17.3"] == {2019: "2019: ? no outcome reported"}


def test_grid_is_an_accessible_table_grouped_by_line(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en")).content)
    assert len(document.find_all("h1")) == 1
    table = document.find("table", "timeline")
    assert table.find("caption").text.startswith("Actions of The Impetus Plan")
    assert [th.text for th in table.find("thead").find_all("th")] == ["Action", *map(str, ALL)]
    assert all(th.attrs["scope"] == "col" for th in table.find("thead").find_all("th"))
    groups = table.find_all("tbody")
    assert [g.find("th", scope="rowgroup").find("a").text for g in groups] == [
        "Line 11. Help SSE enterprises become suppliers",
        "Line 12. Contribute to developing policies and tools that promote responsible "
        "public procurement",
        "Line 13. Promote and support fairs, meetings and conferences",
        "Line 14. Support the socio-political organisation of the SSE",
        "Line 15. Support the business and community organisation of the SSE",
        "Line 16. Support socio-political organisation among municipalities",
        "Line 17. Support the creation of a social currency",
    ]
    # An unscheduled cell still says so, in words, to a screen reader.
    first_row = groups[0].find_all("tr")[1]
    assert [td.text for td in first_row.find_all("td")] == [
        "2016: not scheduled",
        "2017: ? no outcome reported",
        "2018: not scheduled",
        "2019: not scheduled",
    ]
    legend = document.find("div", "timeline-legend")
    assert [li.text for li in legend.find_all("li")] == [
        "○ planned",
        "◐ in progress",
        "✔ done",
        "✘ not done",
        "? no outcome reported",
        "· empty: not scheduled that year",
    ]


def test_progress_is_shown_honestly_per_plan_and_per_line(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en")).content)
    summary = document.find("main").find("p", "progress-summary")
    # The sources report no outcome: the page says that, not "nothing done".
    assert "0 of 82 action-years reported (100% with no outcome reported)" in summary.text
    assert "0 done, 0 in progress, 0 not done; 0 planned; 82 with no outcome reported" in (
        summary.text
    )
    note = document.find("main").find("p", "progress-note")
    assert note.text.startswith("This plan ended in 2019 and no outcome has been reported")
    line_13 = document.find("th", id="line-13")
    assert "0 of 24 action-years reported (100% with no outcome reported)" in line_13.text
    footer = [td.text for td in document.find("tfoot").find_all("td")]
    assert footer == ["2016: 0 of 19", "2017: 0 of 26", "2018: 0 of 20", "2019: 0 of 17"]
    assert "Outcomes reported that year" in document.find("tfoot").text


def test_statuses_show_a_symbol_and_a_word(client):
    plan = make_plan(
        {
            1: [
                [
                    (2020, "done"),
                    (2021, "in_progress"),
                    (2022, "not_done"),
                    (2023, "not_reported"),
                    2024,
                ]
            ]
        },
        end=2024,
    )
    document = parse_html(client.get(timeline_url(plan, "en")).content)
    assert grid_cells(document) == {
        "1.1": {
            2020: "2020: ✔ done",
            2021: "2021: ◐ in progress",
            2022: "2022: ✘ not done",
            2023: "2023: ? no outcome reported",
            2024: "2024: ○ planned",
        }
    }
    summary = document.find("main").find("p", "progress-summary")
    assert "3 of 5 action-years reported (20% with no outcome reported)" in summary.text
    assert "1 done, 1 in progress, 1 not done; 1 planned; 1 with no outcome reported" in (
        summary.text
    )
    # Outcomes were reported: no "no outcome" note, and the year row counts them.
    assert document.find("main").find("p", "progress-note") is None
    footer = [td.text for td in document.find("tfoot").find_all("td")]
    assert footer[0] == "2020: 1 of 1 (1 done)"
    assert footer[-1] == "2024: 0 of 1"


def test_line_filter_shows_that_line_only(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en", line=17)).content)
    assert {code: sorted(cells) for code, cells in grid_cells(document).items()} == {
        "17.1": [2016],
        "17.2": [2017, 2018],
        "17.3": [2019],
    }
    groups = document.find("table", "timeline").find_all("tbody")
    assert [g.find("th", scope="rowgroup").find("a").text for g in groups] == [
        "Line 17. Support the creation of a social currency"
    ]


def test_filters_combine(client, seed_plan):
    url = timeline_url(seed_plan, "en", line=12, year=2016)
    document = parse_html(client.get(url).content)
    # Line 12 actions scheduled in 2016, and only the 2016 column.
    assert grid_cells(document) == {
        "12.2": {2016: "2016: ? no outcome reported"},
        "12.4": {2016: "2016: ? no outcome reported"},
        "12.6": {2016: "2016: ? no outcome reported"},
    }
    assert "3 actions shown." in document.find("p", "result-count").text


def test_status_filter_combines_with_year(client):
    plan = make_plan({1: [[(2020, "done"), 2021], [2020, (2021, "done")]], 2: [[2020]]})
    document = parse_html(client.get(timeline_url(plan, "en", status="done")).content)
    assert grid_cells(document) == {"1.1": {2020: "2020: ✔ done"}, "1.2": {2021: "2021: ✔ done"}}
    # A cell hidden by the status filter does not claim the action is unscheduled.
    row = document.find("table", "timeline").find_all("tr")[2]
    assert row.find("td", "cell-empty").text == "2021: not shown by the filters"
    document = parse_html(client.get(timeline_url(plan, "en", status="done", year=2021)).content)
    assert grid_cells(document) == {"1.2": {2021: "2021: ✔ done"}}
    document = parse_html(client.get(timeline_url(plan, "en", status="not_done")).content)
    assert document.find("table", "timeline") is None
    assert "No action matches these filters." in document.find("main").text


def test_filter_form_keeps_the_chosen_values(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en", line=15, year=2018)).content)
    form = document.find("form", "timeline-filters")
    assert form.attrs["method"] == "get"
    selected = {
        select.attrs["name"]: [o.text for o in select.find_all("option") if "selected" in o.attrs]
        for select in form.find_all("select")
    }
    assert selected == {
        "line": ["15. Support the business and community organisation of the SSE"],
        "year": ["2018"],
        "status": ["All statuses"],
    }
    for select in form.find_all("select"):
        assert form.find("label", **{"for": select.attrs["id"]}) is not None


@pytest.mark.parametrize(
    "query",
    ["line=99", "line=abc", "year=abc", "year=99999999999999999999", "status=finished"],
)
def test_bad_filter_values_give_400_with_an_explanation(client, seed_plan, query):
    response = client.get(timeline_url(seed_plan, "en") + "?" + query)
    assert response.status_code == 400
    document = parse_html(response.content)
    assert "These filters cannot be applied:" in document.find("div", "form-errors").text
    assert document.find("table", "timeline") is None


def test_unknown_parameters_are_ignored(client, seed_plan):
    response = client.get(timeline_url(seed_plan, "en") + "?page=x&sort=';drop")
    assert response.status_code == 200
    expected = Action.objects.filter(line__plan=seed_plan).count()
    assert len(grid_cells(parse_html(response.content))) == expected > 0


def test_this_year_outside_the_plan_says_so(client, seed_plan, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 3, 5))
    document = parse_html(client.get(timeline_url(seed_plan, "en")).content)
    this_year = [a for a in document.find_all("a") if a.text == "This year (2026)"]
    assert this_year and this_year[0].attrs["href"].endswith("?year=2026")
    response = client.get(this_year[0].attrs["href"])
    assert response.status_code == 200
    document = parse_html(response.content)
    notice = document.find("p", id="outside-period").text
    assert "This plan runs from 2016 to 2019: nothing in it is scheduled for 2026." in notice
    assert "Plan to Boost the Social and Solidarity Economy 2021-2023" in notice
    assert document.find("table", "timeline") is None


def test_this_year_inside_the_plan_shows_that_year(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2021, 6, 1))
    plan = make_plan({1: [[2020, 2021], [2022]]})
    with translation.override("en"):
        url = plan.get_absolute_url()
    document = parse_html(client.get(url).content)
    link = [a for a in document.find_all("a") if a.text == "What is scheduled this year (2021)"]
    assert link
    document = parse_html(client.get(link[0].attrs["href"]).content)
    assert grid_cells(document) == {"1.1": {2021: "2021: ○ planned"}}


def test_plan_without_lines_explains_itself(client, seeded):
    plan = Plan.objects.get(slug_ca="piess-2021-2023")
    for lang in ("ca", "en"):
        response = client.get(timeline_url(plan, lang))
        assert response.status_code == 200
        document = parse_html(response.content)
        assert document.find("table", "timeline") is None
        assert document.find("p", "notice").text in {
            "El directori encara no recull les línies ni les accions d'aquest pla.",
            "The directory does not hold this plan's lines and actions yet.",
        }
    assert client.get(timeline_url(plan, "en", year=2022)).status_code == 200


def test_timeline_links_its_stylesheets_and_feeds(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en")).content)
    links = document.find("head").find_all("link")
    print_css = [link for link in links if link.attrs.get("media") == "print"]
    assert print_css and print_css[0].attrs["href"].endswith("plans-print.css")
    assert any(link.attrs["href"].endswith("/plans.css") for link in links)
    feeds = [link for link in links if link.attrs.get("type") == "application/atom+xml"]
    assert {link.attrs["href"] for link in feeds} == {
        "/en/feeds/plan-changes.atom",
        "/en/plans/impetus-plan-sse-2016-2019/changes.atom",
    }
    assert b"style=" not in client.get(timeline_url(seed_plan, "en")).content


def test_alternates_use_each_languages_slug_and_keep_the_filters(client, seed_plan):
    document = parse_html(client.get(timeline_url(seed_plan, "en", line=12)).content)
    alternates = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in document.find("head").find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    }
    assert alternates["ca"].endswith("/ca/plans/pla-impuls-ess-2016-2019/cronograma/?line=12")
    assert alternates["en"].endswith("/en/plans/impetus-plan-sse-2016-2019/timeline/?line=12")
    assert client.get(alternates["ca"].split("testserver")[1]).status_code == 200


def test_timeline_urls_round_trip():
    with translation.override("ca"):
        assert reverse("actions:timeline", kwargs={"slug": "x"}) == "/ca/plans/x/cronograma/"
        assert (
            reverse("actions:action_detail", kwargs={"plan": "x", "number": 1, "position": 2})
            == "/ca/plans/x/linies/1/accions/2/"
        )
    with translation.override("en"):
        assert reverse("actions:timeline", kwargs={"slug": "x"}) == "/en/plans/x/timeline/"
        assert reverse("actions:timeline_csv", kwargs={"slug": "x"}) == "/en/plans/x/timeline.csv"


def grow(plan, actions):
    """Add actions (each scheduled every year of the plan) to the plan's first line."""
    line = plan.lines.first()
    created = Action.objects.bulk_create(
        Action(line=line, position=100 + i, title_ca=f"Acció {i}", title_en=f"Action {i}")
        for i in range(actions)
    )
    ScheduledYear.objects.bulk_create(
        ScheduledYear(action=action, year=year) for action in created for year in plan.years
    )


@pytest.mark.parametrize("extra_actions", [0, 272])
def test_timeline_queries_stay_bounded(client, django_assert_max_num_queries, extra_actions):
    plan = make_plan({1: [[2020]] * 20, 2: [[2021, 2022]] * 8})
    grow(plan, extra_actions)
    url = timeline_url(plan, "en")
    per_page = TimelineView.actions_per_page
    total = 28 + extra_actions
    pages = -(-total // per_page)
    shown, page = {}, 1
    while True:
        with django_assert_max_num_queries(6):
            response = client.get(f"{url}?page={page}")
        document = parse_html(response.content)
        cells = grid_cells(document)
        assert 0 < len(cells) <= per_page
        # Which actions of how many, and which page of how many, a reader is on.
        said = " ".join(document.find("p", "result-count").text.split())
        if pages > 1:
            first = (page - 1) * per_page + 1
            last = first + len(cells) - 1
            assert said == f"Actions {first}–{last} of {total} shown. Page {page} of {pages}."
        else:
            assert said == f"{total} actions shown."
        shown |= cells
        if 'rel="next"' not in response.content.decode():
            break
        page += 1
    # Every action once, a bounded page at a time, in as many pages as it takes.
    assert len(shown) == total
    assert page == pages
    # Past the last page: the last one, not an empty table.
    past = parse_html(client.get(f"{url}?page={pages + 5}").content)
    assert grid_cells(past) == cells
    with django_assert_max_num_queries(6):
        client.get(timeline_url(plan, "en", status="planned", line=1, year=2020))


def test_a_filtered_timeline_counts_its_actions_and_follows_an_edit(client, db):
    """Filtered by a year, the timeline says how many actions match and which of them a page
    shows; the count follows an edit at once."""
    plan = make_plan({1: [[2020]] * 20, 2: [[2021, 2022]] * 8})
    grow(plan, TimelineView.actions_per_page + 10)  # every year, the 2022 ones included
    matching = 8 + TimelineView.actions_per_page + 10

    def said(**filters):
        page = parse_html(client.get(timeline_url(plan, "en", **filters)).content)
        return " ".join(page.find("p", "result-count").text.split())

    shown = TimelineView.actions_per_page
    assert said(year=2022) == f"Actions 1–{shown} of {matching} shown. Page 1 of 2."
    assert said(year=2022, page=2) == (
        f"Actions {shown + 1}–{matching} of {matching} shown. Page 2 of 2."
    )
    make_year(make_action(plan.lines.get(number=2), 99), 2022)
    assert said(year=2022, page=2) == (
        f"Actions {shown + 1}–{matching + 1} of {matching + 1} shown. Page 2 of 2."
    )
