"""Back after a live search, filter or sort comes back as the whole page, never a bare fragment.

The list answers htmx (the results fragment) and browsers (the page) at the same URL. Without
`Vary: HX-Request` the browser's cache kept the fragment under the searched URL and showed it,
unstyled and without navigation, when Back returned there from a customer's page.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .screens import WIDTHS, is_htmx


def assert_whole_page(page: Page) -> None:
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_back_to_a_live_search_shows_the_whole_list_page(
    width, new_context, live_server, log_in, manager, leads
):
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/")
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")

    # Search live (htmx swaps the results and pushes the URL), then open a customer.
    with page.expect_response(is_htmx):
        page.get_by_label("Search").press_sequentially("Farhan")
    expect(page.locator("[data-customer-row]")).to_have_count(1)
    page.get_by_role("link", name="Farhan Khan").click()
    expect(page.get_by_role("heading", name="Farhan Khan")).to_be_visible()

    # Back: the searched list, whole, from the cache or the server.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/customers/\?q=Farhan"))
    assert_whole_page(page)
    expect(page.locator("[data-customer-row]")).to_have_count(1)

    # Reload there, then Back and Forward through the search history once more.
    page.reload()
    assert_whole_page(page)
    page.go_back()
    assert_whole_page(page)
    page.go_forward()
    assert_whole_page(page)
    expect(page.locator("[data-customer-row]")).to_have_count(1)
