"""The list's search box searches whatever puts text into it, once: typing, paste, autofill and
IME input (the `input` event, debounced), each word matching a name, area, phone or status."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from customers.factories import CustomerFactory
from customers.models import Customer

from .screens import WIDTHS

# Longer than the box's 400 ms debounce and a local request, so a late second request shows.
SETTLE_MS = 1200


@pytest.fixture
def kochi_and_thrissur(db):
    CustomerFactory(name="Meera Iyer", area="Kochi", status=Customer.Status.FOLLOW_UP)
    CustomerFactory(name="Ravi Kumar", area="Kochi", phone_number="+919876543210")
    CustomerFactory(name="Asha Menon", area="Thrissur", status=Customer.Status.FOLLOW_UP)


def searched(page: Page) -> list[str]:
    """The `q` of every htmx request the list page sends from now on."""
    sent = []

    def record(request):
        if request.headers.get("hx-request") == "true" and "/customers/" in request.url:
            sent.append(parse_qs(urlsplit(request.url).query).get("q", [""])[0])

    page.on("request", record)
    return sent


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_paste_and_autofill_search_once_each_and_words_combine(
    width, new_context, live_server, log_in, manager, kochi_and_thrissur
):
    page = new_context(**WIDTHS[width]).new_page()
    rows = page.locator("[data-customer-row]")
    box = page.get_by_label("Search")
    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/")
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    expect(rows).to_have_count(3)
    sent = searched(page)

    # A paste (text inserted at once, no key events), as from the clipboard or an IME.
    box.focus()
    page.keyboard.insert_text("Kochi Follow")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link")).to_have_text(["Meera Iyer"])
    expect(page).to_have_url(re.compile(r"q=Kochi(\+|%20)Follow"))

    # Autofill replaces the value with an input event only; a phone number however written.
    box.fill("98765 43210")
    expect(rows.get_by_role("link")).to_have_text(["Ravi Kumar"])

    # Leaving the box (its change event) and waiting send nothing more: one request per edit.
    page.get_by_label("Status", exact=True).focus()
    page.wait_for_timeout(SETTLE_MS)
    assert sent == ["Kochi Follow", "98765 43210"]

    # Back returns to the first search, reload keeps it, and a paste there searches again.
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=Kochi(\+|%20)Follow"))
    expect(rows.get_by_role("link")).to_have_text(["Meera Iyer"])
    page.reload()
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    expect(box).to_have_value("Kochi Follow")
    expect(rows.get_by_role("link")).to_have_text(["Meera Iyer"])
    box.select_text()
    page.keyboard.insert_text("follow up")
    expect(rows.get_by_role("link")).to_have_text(["Asha Menon", "Meera Iyer"])

    # A status picked from its menu still filters at once (its change event).
    sent.clear()
    page.get_by_label("Status", exact=True).select_option(label="New")
    expect(rows).to_have_count(0)
    page.wait_for_timeout(SETTLE_MS)
    assert len(sent) == 1, sent
