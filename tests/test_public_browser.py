"""The public directory in Debian's chromium: browse in Catalan, switch language on a detail
page, search, filter, and reach a result with the keyboard alone."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from networks.models import Network

pytestmark = [pytest.mark.browser]


@pytest.fixture
def site(page, live_seeded):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield live_seeded.url
    # No CSP violation, no failed asset, no script error on any page visited.
    assert problems == []


def test_browse_in_catalan_then_switch_to_english_on_a_detail_page(page, site):
    page.goto(f"{site}/ca/")
    expect(page.locator("html")).to_have_attribute("lang", "ca")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Xarxes").click()
    expect(page).to_have_url(f"{site}/ca/xarxes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xarxes")
    page.get_by_role("link", name="Xarxa de Municipis per l'Economia Social i Solidària").click()
    expect(page).to_have_url(f"{site}/ca/xarxes/xmess/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xarxa de Municipis")
    page.get_by_role("navigation", name="Llengua").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{site}/en/networks/xmess/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Network of Municipalities for the Social and Solidarity Economy"
    )
    # A working group has a different slug in each language: the switcher follows it.
    page.get_by_role("link", name="Communication working group").first.click()
    expect(page).to_have_url(f"{site}/en/networks/xmess-communication/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Català").click()
    expect(page).to_have_url(f"{site}/ca/xarxes/xmess-comunicacio/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grup de treball de Comunicació")


def test_search_from_the_header_finds_accented_and_stemmed_words(page, site):
    page.goto(f"{site}/ca/")
    search = page.get_by_role("searchbox", name="Cerca al directori")
    search.fill("confederacio cooperativa")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/ca/cerca/\?q=confederacio\+cooperativa$"))
    result = page.get_by_role("link", name="Confederació de Cooperatives de Catalunya")
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confederació de Cooperatives de Catalunya"
    )


def test_filters_combine_and_survive_the_language_switch(page, site):
    page.goto(f"{site}/ca/xarxes/")
    page.get_by_label("Tipus").select_option("working_group")
    # A text field resolved on the server (no drop-down of every municipality): left empty.
    page.get_by_label("Amb membres a").fill("")
    page.get_by_role("button", name="Aplica").click()
    groups = Network.objects.filter(kind=Network.Kind.WORKING_GROUP)
    expect(page.get_by_role("status")).to_have_text(f"{groups.count()} resultats")
    page.get_by_label("Cerca", exact=True).fill("compra")
    page.get_by_role("button", name="Aplica").click()
    with translation.override("ca"):
        found = groups.search("compra").count()
    assert 0 < found < groups.count()
    expect(page.get_by_role("status")).to_have_text(f"{found} resultats")
    page.get_by_role("navigation", name="Llengua").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/networks/\?.*kind=working_group"))
    expect(page.get_by_role("status")).to_have_text(f"{found} results")
    expect(page.get_by_label("Kind")).to_have_value("working_group")


def test_keyboard_alone_reaches_a_result(page, site):
    page.goto(f"{site}/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    # Tab to the search box, type, submit with Enter.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    page.keyboard.type("amposta assembly")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=amposta\+assembly"))
    target = "/en/events/xmess-assembly-amposta-2024/"
    for _ in range(40):
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.getAttribute('href')") or "") == target:
            break
    else:
        pytest.fail("The result link was never reached with Tab")
    # The focused link shows a visible focus ring.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}{target}")
    expect(page.get_by_role("heading", level=1)).to_have_text("XMESS assembly in Amposta")
    expect(page.get_by_text("October 2024")).to_be_visible()


def test_narrow_screen_keeps_navigation_and_search_usable(page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site}/ca/esdeveniments/")
    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link", name="Municipis")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Cerca al directori")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
