import pytest

pytestmark = [pytest.mark.browser]


def test_home_page_renders_in_chromium(page, live_seeded):
    page.goto(f"{live_seeded.url}/ca/")
    assert page.locator("html").get_attribute("lang") == "ca"
