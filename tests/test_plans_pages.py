"""Plan, line and action pages, in both languages, with their structured data."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Action, Line, Plan, ScheduledYear
from actions.structured_data import overall_status
from tests.plans_support import grid_cells, make_plan, parse_html
from tests.test_timeline import grow

pytestmark = pytest.mark.django_db


def url_of(obj, lang):
    with translation.override(lang):
        return obj.get_absolute_url()


def json_ld(document):
    (script,) = document.find_all("script", type="application/ld+json")
    return json.loads(script.text)


@pytest.fixture
def seed_plan(seeded):
    return Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")


def test_plan_page_shows_owner_period_axis_and_lines_with_progress(client, seed_plan):
    document = parse_html(client.get(url_of(seed_plan, "en")).content)
    main = document.find("main")
    assert document.find("h1").text == (
        "The Impetus Plan for the Social and Solidarity Economy 2016-2019"
    )
    facts = dict(
        zip(
            [dt.text for dt in main.find("dl").find_all("dt")],
            [dd.text for dd in main.find("dl").find_all("dd")],
            strict=True,
        )
    )
    assert facts["Period"] == "2016–2019"
    assert facts["Owner"] == seed_plan.owner.name_en
    assert facts["Next plan"] == "Plan to Boost the Social and Solidarity Economy 2021-2023 (PIESS)"
    assert "Axis: Intercooperation" in main.text
    objectives = main.find("section", **{"aria-labelledby": "axis-1"}).find_all("ul")[0]
    assert len(objectives.find_all("li")) == 3
    assert "Enterprises and organisations" in main.text
    rows = main.find("table", "line-table").find("tbody").find_all("tr")
    # On a narrow screen each cell carries its own label ("Actions: 3"), hidden when wide.
    assert [(r.find("th").text, r.find_all("td")[0].text.split(": ")[-1]) for r in rows][:2] == [
        ("Line 11. Help SSE enterprises become suppliers", "3"),
        (
            "Line 12. Contribute to developing policies and tools that promote responsible "
            "public procurement",
            "6",
        ),
    ]
    # The sources give no outcome: the page says so, never "0 done (0%)".
    assert "0 of 12 action-years reported (100% with no outcome reported)" in (
        rows[1].find_all("td")[1].text
    )
    assert "0 of 82 action-years reported (100% with no outcome reported)" in main.text
    assert "0 done, 0 in progress, 0 not done; 0 planned; 82 with no outcome reported" in (
        main.text
    )
    assert (
        "This plan ended in 2019 and no outcome has been reported for any of its actions"
        in main.text
    )
    assert "done (0%)" not in main.text


def test_plan_page_in_catalan(client, seed_plan):
    document = parse_html(client.get(url_of(seed_plan, "ca")).content)
    main = document.find("main").text
    assert "0 de 82 accions-any amb resultat comunicat (100 % sense resultat comunicat)" in main
    assert "Aquest pla va acabar el 2019 i no s'ha comunicat el resultat" in main
    assert "accions-any fetes" not in main
    assert "Eix: Intercooperació" in document.find("main").text


def test_plan_page_sums_its_lines_progress(client, db):
    plan = make_plan(
        {
            1: [[(2020, "done"), (2021, "in_progress")], [(2020, "not_done")]],
            2: [[(2021, "done"), 2022], [(2022, "not_reported")], []],
        }
    )
    main = parse_html(client.get(url_of(plan, "en")).content).find("main").text
    main = " ".join(main.split())
    annotated = Plan.objects.with_progress().get(pk=plan.pk)
    assert (annotated.line_count, annotated.action_count) == (2, 5)
    assert "4 of 6 action-years reported" in main
    assert "2 done, 1 in progress, 1 not done; 1 planned; 1 with no outcome reported" in main
    assert annotated.progress.reported == 4 and annotated.progress.done == 2


def test_plan_without_lines_is_handled(client, seeded):
    plan = Plan.objects.get(slug_ca="piess-2021-2023")
    response = client.get(url_of(plan, "en"))
    assert response.status_code == 200
    main = parse_html(response.content).find("main")
    assert "The directory does not hold this plan's lines and actions yet." in main.text
    assert main.find("table") is None
    assert "Previous plan" in main.text


def test_plan_list(client, seeded, django_assert_max_num_queries):
    # The plans, their owners and municipalities, and (once per content version) their figures.
    with django_assert_max_num_queries(4), translation.override("ca"):
        response = client.get(reverse("actions:plan_list"))
    text = parse_html(response.content).find("main").text
    impetus = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    actions = Action.objects.filter(line__plan=impetus).count()
    assert f"{actions} accions en {impetus.lines.count()} línies." in text
    assert "El directori encara no recull les línies ni les accions d'aquest pla." in text


def test_plan_list_figures_show_every_change_at_once(client, db):
    plan = make_plan({1: [[(2020, "done"), 2021], [(2020, "not_done")]], 2: [[2021]]})

    def listed():
        with translation.override("en"):
            main = parse_html(client.get(reverse("actions:plan_list")).content).find("main")
        return " ".join(main.text.split())

    assert "3 actions in 2 lines." in listed()
    assert "2 of 4 action-years reported" in listed()
    # The figures are kept per content version: an outcome reported, or a line removed,
    # shows on the next request.
    year = ScheduledYear.objects.get(action__line__number=1, year=2021)
    year.status = ScheduledYear.Status.DONE
    year.save()
    assert "3 of 4 action-years reported" in listed()
    plan.lines.get(number=2).delete()
    assert "2 actions in 1 line." in listed()
    assert "3 of 3 action-years reported" in listed()


def test_plan_json_ld(client, seed_plan):
    data = json_ld(parse_html(client.get(url_of(seed_plan, "en")).content))
    assert data["@type"] == "CreativeWork"
    assert data["temporalCoverage"] == "2016/2019"
    assert data["author"]["name"] == seed_plan.owner.name_en
    assert data["spatialCoverage"]["name"] == "Barcelona"
    assert len(data["hasPart"]) == seed_plan.lines.count() > 0
    assert data["url"].endswith("/en/plans/impetus-plan-sse-2016-2019/")


def test_line_page_lists_its_actions_with_their_years(client, seed_plan):
    line = seed_plan.lines.get(number=12)
    document = parse_html(client.get(url_of(line, "en")).content)
    assert {code: sorted(cells) for code, cells in grid_cells(document).items()} == {
        "12.1": [2017],
        "12.2": [2016, 2017, 2018, 2019],
        "12.3": [2017],
        "12.4": [2016, 2017],
        "12.5": [2017, 2018],
        "12.6": [2016, 2017],
    }
    assert "0 of 12 action-years reported" in document.find("main").text
    # A line is not a plan: the plan's closing note stays on the plan's pages.
    assert "This plan ended" not in document.find("main").text
    assert client.get(url_of(line, "ca")).status_code == 200


def test_action_page_shows_years_status_and_who_it_concerns(client, seed_plan):
    action = Action.objects.get(line__plan=seed_plan, line__number=16, position=1)
    document = parse_html(client.get(url_of(action, "en")).content)
    main = document.find("main")
    assert document.find("h1").text.startswith("Action 16.1 ")
    rows = [
        [row.find("th").text, *(td.text for td in row.find_all("td"))]
        for row in main.find("table", "year-table").find("tbody").find_all("tr")
    ]
    assert [r[:2] for r in rows] == [
        ["2016", "? no outcome reported"],
        ["2017", "? no outcome reported"],
        ["2018", "? no outcome reported"],
        ["2019", "? no outcome reported"],
    ]
    concerns = main.find("section", **{"aria-labelledby": "concerns-heading"})
    links = {a.attrs["href"] for a in concerns.find_all("a")}
    network = action.networks.get()
    assert url_of(network, "en") in links
    data = json_ld(document)
    assert data["@type"] == "Action"
    # schema.org has no "no outcome reported": claim no status rather than "potential".
    assert "actionStatus" not in data
    # schema.org's startTime/endTime are date-times: the years are said in the description.
    assert "startTime" not in data and "endTime" not in data
    assert data["description"].endswith("Scheduled for 2016, 2017, 2018, 2019.")


def test_action_page_years_outside_schedule_are_said(client, seed_plan):
    action = Action.objects.get(line__plan=seed_plan, line__number=17, position=3)
    main = parse_html(client.get(url_of(action, "ca")).content).find("main")
    rows = main.find("table", "year-table").find("tbody").find_all("tr")
    assert [row.find("td").text for row in rows] == [
        "no programada",
        "no programada",
        "no programada",
        "? sense resultat comunicat",
    ]


def test_action_pages_concerning_organisations(client, seed_plan):
    """11.2 and 15.5 concern Pam a Pam; the 12.x actions the procurement group."""
    for code in ("11.2", "15.5", "12.1"):
        number, position = code.split(".")
        action = Action.objects.get(line__plan=seed_plan, line__number=number, position=position)
        concerned = [*action.networks.all(), *action.organisations.all()]
        assert concerned, code
        main = parse_html(client.get(url_of(action, "en")).content).find("main")
        for item in concerned:
            assert item.name_en in main.text


def test_overall_status_for_structured_data():
    assert overall_status([]) is None
    assert overall_status(["planned", "planned"]) == "planned"
    assert overall_status(["done", "planned"]) == "in_progress"
    assert overall_status(["done", "done"]) == "done"
    assert overall_status(["not_done"]) == "not_done"
    assert overall_status(["not_done", "done"]) == "in_progress"
    assert overall_status(["not_reported", "not_reported"]) == "not_reported"
    assert overall_status(["not_reported", "planned"]) == "not_reported"
    assert overall_status(["not_reported", "done"]) == "in_progress"


def test_action_json_ld_states_only_what_was_reported(client, seed_plan):
    action = Action.objects.get(line__plan=seed_plan, line__number=16, position=1)
    # Saved one by one, as staff do (a save is what tells the page cache).
    for year in action.scheduled_years.filter(year=2016):
        year.status = "done"
        year.save()
    data = json_ld(parse_html(client.get(url_of(action, "en")).content))
    assert data["actionStatus"] == "https://schema.org/ActiveActionStatus"
    for year in action.scheduled_years.all():
        year.status = "done"
        year.save()
    data = json_ld(parse_html(client.get(url_of(action, "en")).content))
    assert data["actionStatus"] == "https://schema.org/CompletedActionStatus"


@pytest.mark.parametrize("extra_actions", [0, 272])
def test_detail_pages_queries_are_bounded(client, django_assert_max_num_queries, extra_actions):
    plan = make_plan({1: [[2020]] * 20, 2: [[2021, 2022]] * 8})
    grow(plan, extra_actions)
    line = Line.objects.get(plan=plan, number=1)
    action = line.actions.first()
    for url, cap in [(url_of(plan, "en"), 3), (url_of(line, "en"), 3), (url_of(action, "en"), 5)]:
        with django_assert_max_num_queries(cap):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/plans/nope/",
        "/en/plans/nope/timeline/",
        "/en/plans/impetus-plan-sse-2016-2019/lines/99/",
        "/en/plans/impetus-plan-sse-2016-2019/lines/11/actions/99/",
        "/en/plans/pla-impuls-ess-2016-2019/",  # the Catalan slug under /en/
    ],
)
def test_unknown_pages_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_a_status_saved_shows_at_once_in_the_plan_s_and_the_timeline_s_figures(client):
    """The lines' figures are kept per content version: a status saved (as the admin and a
    municipality's status form save it) is counted on the next view of either page."""
    plan = make_plan({1: [[(2020, "done"), 2021]], 2: [[2020]]})
    client.cookies["sessionid"] = "no-such-session"  # rendered, not the page cache's copy
    with translation.override("en"):
        urls = [plan.get_absolute_url(), plan.get_timeline_url()]

    def summaries(url):
        """The page's progress lines: the whole plan's first, then each line's."""
        document = parse_html(client.get(url).content)
        return [p.text for p in document.find_all("p", "progress-summary")]

    for url in urls:
        plan_figure, line_1, line_2 = summaries(url)
        assert plan_figure.startswith("1 of 3 action-years reported")
        assert line_1.startswith("1 of 2 action-years reported")
        assert line_2.startswith("0 of 1 action-year reported")
    scheduled = ScheduledYear.objects.get(year=2021, action__line__plan=plan)
    scheduled.status = ScheduledYear.Status.IN_PROGRESS
    scheduled.save()
    for url in urls:
        plan_figure, line_1, line_2 = summaries(url)
        assert plan_figure.startswith("2 of 3 action-years reported"), url
        assert line_1.startswith("2 of 2 action-years reported"), url
        assert line_2.startswith("0 of 1 action-year reported"), url
