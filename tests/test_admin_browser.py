"""The admin's Catalan/English tabs work in a real browser under the strict CSP."""

import pytest
from django.contrib.auth.models import User

from networks.models import Network
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser]


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
