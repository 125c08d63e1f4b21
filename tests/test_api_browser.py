"""The API's interactive documentation in Debian's chromium, under the site's strict CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_docs_page_shows_every_endpoint_and_runs_a_request_with_no_csp_violation(page, live_seeded):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.goto(f"{live_seeded.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Xarxa ESS API")
    operation = page.locator("#operations-networks-networks_list")
    expect(operation).to_be_visible()
    # "Try it out" sends a real GET to the API from the page.
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tr.response .response-col_status").first
    ).to_contain_text("200")
    assert problems == []
