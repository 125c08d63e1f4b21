"""The maps in Debian's chromium under the site's CSP: drawn with no console error, every
municipality a named link reachable with the keyboard, usable on a narrow screen."""

import re

import pytest
from playwright.sync_api import expect

from networks.models import Comarca, Municipality

pytestmark = [pytest.mark.browser]


@pytest.fixture
def site(page, live_seeded):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield live_seeded.url
    # No CSP violation (a style attribute, an inline script), no failed asset, no error.
    assert problems == []


def test_every_map_page_draws_named_links_with_no_console_error(page, site):
    valles = Comarca.objects.get(code="40")
    pages = {
        "/ca/municipis/": Municipality.objects.count(),
        "/en/networks/xmess/?year=2017": Municipality.objects.count(),
        "/ca/organitzacions/": Municipality.objects.count(),
        f"/ca/comarques/{valles.slug_ca}/": valles.municipalities.count(),
        "/ca/municipis/sabadell/": valles.municipalities.count(),
    }
    for path, count in pages.items():
        page.goto(f"{site}{path}")
        links = page.locator(".map__svg a")
        expect(links).to_have_count(count)
        box = page.locator(".map__svg").bounding_box()
        assert box["width"] > 200 and box["height"] > 100, path
        # Filled through the stylesheet: a shape of the map is not black (no CSS = black).
        fill = page.evaluate("getComputedStyle(document.querySelector('.map__svg a > path')).fill")
        assert fill not in ("", "rgb(0, 0, 0)"), path


def test_the_keyboard_reaches_a_municipality_on_the_map_and_follows_it(page, site):
    page.goto(f"{site}/en/comarques/valles-occidental/")
    first = page.locator(".map__svg a").first
    name = first.locator("title").text_content()
    href = first.get_attribute("href")
    # Named by its <title>, the same words a pointer sees on hover.
    expect(first).to_have_accessible_name(name)
    page.get_by_role("link", name="Skip to content").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
    else:
        pytest.fail("The map's first link was never reached with Tab")
    # Named for a screen reader, and its outline changes so the focus is visible.
    expect(page.get_by_role("link", name=name, exact=True).first).to_be_focused()
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.firstElementChild.nextElementSibling).strokeWidth"
    )
    assert stroke == "3px"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def test_the_skip_link_jumps_past_the_map(page, site):
    page.goto(f"{site}/ca/municipis/")
    skip = page.get_by_role("link", name="Salta els enllaços del mapa")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator(".map__legend")).to_be_focused()


def test_a_map_fits_a_narrow_screen(page, site):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site}/ca/municipis/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator(".map__svg").bounding_box()["width"] <= 320
