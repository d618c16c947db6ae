"""The Content-Security-Policy in a real browser: the main pages, their htmx swaps and the
dashboard chart all work, and Chromium reports no violation anywhere.

Violations are caught two ways: a `securitypolicyviolation` listener added to every document
before its own scripts run (reported straight back to the test), and Chromium's console
messages about the policy.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.factories import PASSWORD
from imports.models import FileImport

from .screens import is_htmx

WATCH_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`
  );
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    """Every CSP violation and console complaint about the policy, on any page `page` opens."""
    found: list[str] = []

    def report(violation: str) -> None:
        found.append(violation)

    page.expose_function("reportCspViolation", report)
    page.add_init_script(WATCH_FOR_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"script error: {error.message}"))
    return found


def assert_no_inline_style_was_added(page: Page) -> None:
    # htmx adds a <style> for its indicators unless told not to (base.html's htmx-config).
    assert page.locator("style").count() == 0


@pytest.mark.browser
def test_the_watch_sees_a_violation(page: Page, live_server, violations, db):
    """A check of the check: an inline style added by script is blocked and reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{}';"
        " document.head.append(s); }"
    )

    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.wait_for_function("() => true")  # let the violation event be delivered
    page.wait_for_timeout(200)
    assert any("style-src" in violation for violation in violations), violations


@pytest.mark.browser
def test_main_pages_work_under_the_policy_without_violations(
    page: Page, live_server, violations, manager, customer, leads
):
    base = live_server.url

    # Login page, and logging in through it.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # The manager's dashboard draws its chart with Chart.js.
    page.goto(f"{base}/dashboard/")
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-chart-ready", "true")
    expect(charts.first.locator("canvas")).to_be_visible()

    # The customer list: a search swaps the results in place through htmx.
    page.goto(f"{base}/customers/")
    rows = page.locator("[data-customer-row]")
    expect(rows.first).to_be_visible()
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    with page.expect_response(is_htmx):
        page.get_by_label("Search").press_sequentially(customer.name)
    expect(rows).to_have_count(1)
    assert_no_inline_style_was_added(page)

    # The customer's page: a status change goes through htmx too.
    rows.get_by_role("link", name=customer.name).click()
    expect(page.get_by_role("heading", name=customer.name)).to_be_visible()
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    page.get_by_label("Status after the call").select_option(label="Interested")
    with page.expect_response(is_htmx):
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("current-status")).to_have_text("Interested")

    # Imports: the history, the upload form, and a queued import polling its status by htmx.
    page.goto(f"{base}/imports/")
    expect(page.get_by_role("link", name="Import leads")).to_be_visible()
    page.get_by_role("link", name="Import leads").click()
    expect(page.get_by_label("Lead file")).to_be_visible()
    queued = FileImport.objects.create(
        file_name="leads.csv", file="imports/leads.csv", sha256="0" * 64, imported_by=manager
    )
    with page.expect_response(is_htmx, timeout=5_000):
        page.goto(f"{base}/imports/{queued.pk}/")
    expect(page.get_by_text("Queued", exact=True)).to_be_visible()

    # The team, the profile, and our error pages.
    for path in ["/users/", "/accounts/profile/", "/no-such-page/"]:
        page.goto(f"{base}{path}")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    assert_no_inline_style_was_added(page)
    assert violations == []
