"""The timeline in a real browser: readable on a phone, printable, no CSP violations."""

import pytest

pytestmark = [pytest.mark.browser]

TIMELINE = "/en/plans/impetus-plan-sse-2016-2019/timeline/"


def test_timeline_on_a_phone_is_a_stacked_list_without_sideways_scrolling(page, live_seeded):
    page.set_viewport_size({"width": 360, "height": 740})
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    page.goto(live_seeded.url + TIMELINE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("table.timeline caption").bounding_box()["width"] > 300
    # Each action lists only its scheduled years, with the year written out.
    row = page.locator("table.timeline tbody tr", has_text="11.2")
    visible = [c.inner_text().strip() for c in row.locator("td.cell").all() if c.is_visible()]
    assert visible == ["2017: ? no outcome reported", "2018: ? no outcome reported"]
    assert not page.locator("table.timeline thead th").first.is_visible() or (
        page.locator("table.timeline thead th").first.bounding_box()["width"] <= 1
    )
    assert violations == []


def test_timeline_on_a_wide_screen_is_a_grid(page, live_seeded):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_seeded.url + TIMELINE)
    assert page.locator("table.timeline").evaluate("t => getComputedStyle(t).display") == "table"
    # The year is said by the column header: the in-cell copy is for screen readers only.
    year = page.locator("table.timeline td.cell .cell-year").first
    assert year.bounding_box()["width"] <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_timeline_prints_the_grid_without_the_page_furniture(page, live_seeded):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_seeded.url + TIMELINE)
    page.emulate_media(media="print")
    assert page.locator("table.timeline").evaluate("t => getComputedStyle(t).display") == "table"
    assert not page.locator("form.timeline-filters").is_visible()
    assert not page.locator("section.downloads").is_visible()
    assert (
        page.locator("table.timeline thead").evaluate("t => getComputedStyle(t).display")
        == "table-header-group"
    )
    assert page.pdf(format="A4")[:4] == b"%PDF"
