"""The manager dashboard on a 390 px phone: nothing scrolls sideways, and every counsellor's
numbers are on the screen, headed, and lead to their customers (with Back and reload)."""

import pytest
from playwright.sync_api import Page, expect

from .screens import PHONE, assert_no_sideways_scroll
from .test_dashboards import team_book  # noqa: F401 (the fixture this module uses)

WIDTH = PHONE["viewport"]["width"]
HEADINGS = ["Assigned", "Contacted", "Moved in period", "Overdue", "Reached Admission"]


def assert_counsellor_table_readable(page: Page, usernames: list[str]) -> None:
    """Every row's name, numbers and their headings are visible inside the screen's width,
    and the table does not scroll inside its own box either."""
    table = page.get_by_test_id("performance")
    expect(table).to_be_visible()
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    for username in usernames:
        row = table.locator(f'[data-counsellor="{username}"]')
        cells = row.locator("th, td")
        expect(cells).to_have_count(7)
        for cell in cells.all():
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (username, box)
        for heading in [*HEADINGS, "Conversion"]:
            expect(row.get_by_text(heading, exact=True)).to_be_visible()
        expect(row.locator("[data-stat]")).to_have_count(len(HEADINGS))


@pytest.mark.browser
@pytest.mark.usefixtures("team_book")
def test_manager_dashboard_fits_a_phone(
    new_context, live_server, log_in, manager, counsellor, screenshot_dir
):
    page = new_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, manager)
    usernames = ["arjun", "meera", "sara"]

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("[data-chart]").first).to_have_attribute("data-chart-ready", "true")
    assert_no_sideways_scroll(page)
    assert_counsellor_table_readable(page, usernames)
    page.screenshot(path=screenshot_dir / "dashboard-manager-phone.png", full_page=True)
    page.get_by_role("region", name="Counsellors").screenshot(
        path=screenshot_dir / "dashboard-manager-phone-counsellors.png"
    )

    # Arjun's one admission figure opens exactly his customers who reached Admission.
    row = page.locator(f'[data-counsellor="{counsellor.username}"]')
    admitted = row.locator(f'[data-stat="{counsellor.pk}_admitted"]')
    expect(admitted).to_have_text("1")
    admitted.click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    expect(page.locator("[data-customer-row]").get_by_role("link")).to_have_text(["Arun Kumar"])
    assert_no_sideways_scroll(page)

    page.go_back()
    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_counsellor_table_readable(page, usernames)
    page.reload()
    expect(page.locator("[data-chart]").first).to_have_attribute("data-chart-ready", "true")
    assert_no_sideways_scroll(page)
    assert_counsellor_table_readable(page, usernames)
    assert errors == []
