"""The admin's Catalan/English tabs work in a real browser under the strict CSP."""

import pytest
from django.contrib.auth.models import User

from networks.models import Network, Organisation
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_context_args(browser_context_args):
    # Far from the server's Europe/Madrid, so Django's calendar has a time-zone note to add.
    return {**browser_context_args, "timezone_id": "America/New_York"}


@pytest.fixture
def logged_in_page(page, live_seeded):
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(f"{live_seeded.url}/ca/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_seeded.url}/ca/admin/")
    page.violations = violations
    return page


def test_language_tabs_switch_fields_under_the_csp(logged_in_page, live_seeded):
    page = logged_in_page
    network = Network.objects.get(slug_ca="xmess")
    page.goto(f"{live_seeded.url}/ca/admin/networks/network/{network.pk}/change/")
    tabs = page.locator(".ui-tabs").first
    tabs.wait_for()
    # The Catalan tab is open (the admin is in Catalan); the English field is hidden.
    assert page.locator("#id_name_ca").is_visible()
    assert not page.locator("#id_name_en").is_visible()
    tabs.get_by_role("tab", name="en").click()
    assert page.locator("#id_name_en").is_visible()
    assert not page.locator("#id_name_ca").is_visible()
    assert page.locator("#id_name_en").input_value() == network.name_en
    # The main switch next to the title changes every field's tab at once.
    page.select_option("#modeltranslation-main-switch", label="ca")
    assert page.locator("#id_summary_ca").is_visible()
    assert page.violations == []


def test_slugs_fill_in_per_language_on_the_add_page(logged_in_page, live_seeded):
    page = logged_in_page
    page.goto(f"{live_seeded.url}/en/admin/networks/theme/add/")
    page.locator(".ui-tabs").first.wait_for()
    # In the English admin the English tabs open first.
    assert page.locator("#id_name_en").is_visible()
    page.locator("#id_name_en").press_sequentially("Cooperative housing")
    assert page.locator("#id_slug_en").input_value() == "cooperative-housing"
    page.select_option("#modeltranslation-main-switch", label="ca")
    page.locator("#id_name_ca").press_sequentially("Habitatge cooperatiu")
    assert page.locator("#id_slug_ca").input_value() == "habitatge-cooperatiu"
    assert page.violations == []


def test_import_page_previews_a_file_under_the_csp(logged_in_page, live_seeded, tmp_path):
    page = logged_in_page
    org = Organisation.objects.order_by("pk").first()
    path = tmp_path / "organisations.csv"
    path.write_text(f"slug_ca,name_ca,name_en\n{org.slug_ca},Nom nou,{org.name_en}\n")
    page.goto(f"{live_seeded.url}/ca/admin/networks/organisation/")
    page.click(".xmess-import-link")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form input[type=submit]")
    page.locator("#import-changes").wait_for()
    assert "Nom nou" in page.locator("#import-changes").inner_text()
    page.click("#import-confirm input[type=submit]")
    page.locator("#import-entries").wait_for()
    org.refresh_from_db()
    assert org.name_ca == "Nom nou"
    assert page.violations == []


def test_an_error_on_the_hidden_language_tab_is_marked_and_focused(logged_in_page, live_seeded):
    page = logged_in_page
    network = Network.objects.get(slug_ca="xmess")
    page.goto(f"{live_seeded.url}/ca/admin/networks/network/{network.pk}/change/")
    page.locator(".ui-tabs").first.wait_for()
    page.locator(".ui-tabs").first.get_by_role("tab", name="en").click()
    page.fill("#id_name_en", "")
    page.locator(".ui-tabs").first.get_by_role("tab", name="ca").click()
    page.locator("input[name=_continue]").click()
    page.locator(".errornote").wait_for()
    # The English tab holds the error: it is marked, open, and has the focus.
    tab = page.locator("li.ui-tab-has-errors a").first
    tab.wait_for()
    assert tab.text_content().startswith("en")
    assert "(conté un error)" in tab.text_content()
    assert page.locator("#id_name_en").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('href')") == tab.get_attribute("href")
    assert page.violations == []


def test_no_time_zone_note_under_a_date_only_field(logged_in_page, live_seeded):
    page = logged_in_page
    # The browser is set six hours away from the server, so Django's calendar would warn.
    page.goto(f"{live_seeded.url}/ca/admin/networks/network/add/")
    page.wait_for_load_state("load")
    page.locator("#id_founded_on").wait_for()
    page.wait_for_timeout(200)
    box = page.locator("#id_founded_on").locator("xpath=../..")
    assert box.locator(".datetimeshortcuts").count() == 1  # the calendar did run
    assert page.locator(".timezonewarning").count() == 0
