"""A timeline row's cells and a place's actions year by year, as the plans' pages write them
(``{% timeline_cells %}`` and ``{% year_by_year %}``, actions/templatetags/timeline.py)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from actions.models import ScheduledYear
from actions.sections import actions_by_year
from actions.timeline import Cell
from tests.factories import make_action, make_line, make_plan

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load timeline %}" + source).render(Context(context))


def test_each_cell_says_its_year_and_status_in_words_in_the_page_language():
    cells = [
        Cell(2020, ScheduledYear(year=2020, status=ScheduledYear.Status.DONE)),
        Cell(2021),
        Cell(2022, ScheduledYear(year=2022, status=ScheduledYear.Status.IN_PROGRESS)),
    ]
    with translation.override("ca"):
        html = render("{% timeline_cells cells %}", cells=cells)
    assert html == (
        '\n      <td role="cell" class="cell status-done"><span class="cell-year">2020: </span>'
        '<span class="symbol" aria-hidden="true">✔</span> feta</td>'
        '\n      <td role="cell" class="cell cell-empty"><span class="visually-hidden">2021: '
        "no programada</span></td>"
        '\n      <td role="cell" class="cell status-in_progress"><span class="cell-year">2022: '
        '</span><span class="symbol" aria-hidden="true">◐</span> en curs</td>'
    )
    with translation.override("en"):
        html = render("{% timeline_cells cells %}", cells=cells)
    assert "✔</span> done</td>" in html
    assert "2021: not scheduled</span>" in html


def test_an_empty_cell_under_a_status_filter_says_the_filter_hides_it():
    with translation.override("en"):
        html = render("{% timeline_cells cells 'done' %}", cells=[Cell(2021)])
    assert "2021: not shown by the filters</span>" in html
    assert "not scheduled" not in html


def test_a_place_s_actions_year_by_year_link_each_action_with_its_status_that_year():
    plan = make_plan(slug_ca="pla-ciutat", slug_en="city-plan")
    line = make_line(plan, 3)
    long_title = " ".join(f"paraula{n}" for n in range(30))
    first = make_action(line, 1, title="Fira <b>anual</b> & mercat")
    second = make_action(line, 2, title=long_title)
    ScheduledYear.objects.bulk_create(
        [
            ScheduledYear(action=first, year=2021, status=ScheduledYear.Status.DONE),
            ScheduledYear(action=first, year=2022, status=ScheduledYear.Status.PLANNED),
            ScheduledYear(action=second, year=2022, status=ScheduledYear.Status.NOT_DONE),
        ]
    )
    for action in (first, second):
        action.years_shown = list(action.scheduled_years.order_by("year"))
    years, unscheduled = actions_by_year([first, second])
    assert unscheduled == []
    with translation.override("ca"):
        html = render("{% year_by_year years %}", years=years)
    url = first.get_absolute_url()
    assert url.startswith("/ca/plans/pla-ciutat/")
    assert html == (
        '\n<h3 class="year-heading">2021</h3>\n<ul class="timeline">'
        '\n  <li class="status status--done"><span class="status__label">Feta</span> '
        f'<a href="{url}"><span class="code">3.1</span> '
        "Fira &lt;b&gt;anual&lt;/b&gt; &amp; mercat</a></li>\n</ul>\n"
        '\n<h3 class="year-heading">2022</h3>\n<ul class="timeline">'
        '\n  <li class="status status--planned"><span class="status__label">Programada</span> '
        f'<a href="{url}"><span class="code">3.1</span> '
        "Fira &lt;b&gt;anual&lt;/b&gt; &amp; mercat</a></li>"
        '\n  <li class="status status--not_done"><span class="status__label">No feta</span> '
        f'<a href="{second.get_absolute_url()}"><span class="code">3.2</span> '
        + " ".join(f"paraula{n}" for n in range(24))
        + " …</a></li>\n</ul>\n"
    )
