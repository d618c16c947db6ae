"""The working day end to end with htmx: filters, bulk assignment and status changes in place."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from customers.models import Customer, CustomerStatusHistory

from .screens import is_htmx

NOTE = "Spoke to her father; wants the B.Sc Nursing fee structure on WhatsApp."


def mark_document(page: Page) -> None:
    """Tag the loaded document, so a later check can tell a swap in place from a page load.

    Waits for htmx to have processed the page first: rows can be visible before the deferred
    scripts run, and a change made then would not be sent through htmx.
    """
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    page.evaluate("window.swappedInPlace = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.swappedInPlace === true"), "the page reloaded instead of swapping"


@pytest.mark.browser
def test_manager_assigns_three_leads_and_the_counsellor_updates_one(
    page: Page, log_in, log_out, manager, counsellor, leads
):
    chosen, left = leads[:3], leads[3:]
    rows = page.locator("[data-customer-row]")
    errors = []  # uncaught script errors: htmx and app.js must run cleanly
    page.on("pageerror", lambda error: errors.append(error.message))

    # The manager narrows the list to unassigned new enquiries; each filter swaps the results.
    log_in(page, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(rows).to_have_count(10)
    mark_document(page)
    with page.expect_response(is_htmx):
        page.get_by_label("Status", exact=True).select_option(label="New")
    expect(rows).to_have_count(8)
    with page.expect_response(is_htmx):
        page.get_by_label("Counsellor", exact=True).select_option(label="Unassigned")
    expect(rows).to_have_count(5)
    expect(page).to_have_url(re.compile(r"assigned_to=none"))
    assert parse_qs(urlsplit(page.url).query) == {"status": ["NEW"], "assigned_to": ["none"]}
    assert_not_reloaded(page)

    # ...ticks three of them and gives them to the counsellor; the filtered list stays in place.
    for name in chosen:
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_label("Assign selected to").select_option(label=counsellor.choice_label)
    with page.expect_response(is_htmx):
        page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        f"3 customers assigned to {counsellor.display_name}."
    )
    expect(rows).to_have_count(2)
    expect(rows.get_by_role("link")).to_have_text(left[::-1])  # newest first
    assert_not_reloaded(page)
    assigned = Customer.objects.filter(assigned_to=counsellor)
    assert sorted(assigned.values_list("name", flat=True)) == chosen
    log_out(page)

    # The counsellor sees exactly those three.
    log_in(page, counsellor)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="My customers")).to_be_visible()
    expect(rows.get_by_test_id("customer-name")).to_have_text(chosen[::-1])

    # ...opens one, changes its status with a note, and the panel and timeline update in place.
    page.get_by_role("link", name=chosen[0], exact=True).click()
    expect(page.get_by_role("heading", name=chosen[0])).to_be_visible()
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text(f"Assigned to {counsellor.display_name}")
    mark_document(page)
    page.get_by_label("Status after the call").select_option(label="Interested")
    page.get_by_label("Note").fill(NOTE)
    with page.expect_response(is_htmx):
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("current-status")).to_have_text("Interested")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text(NOTE)
    expect(timeline.first).to_contain_text(counsellor.display_name)
    expect(timeline.first).to_contain_text(re.compile(r"New\s*→\s*Interested"))
    expect(page.get_by_label("Status after the call")).to_have_value(Customer.Status.INTERESTED)
    expect(page.get_by_label("Note")).to_have_value("")
    assert_not_reloaded(page)

    customer = Customer.objects.get(name=chosen[0])
    assert customer.status == Customer.Status.INTERESTED
    history = CustomerStatusHistory.objects.get(customer=customer)
    assert (history.previous_status, history.new_status) == ("NEW", "INTERESTED")
    assert (history.changed_by, history.notes) == (counsellor, NOTE)
    assert errors == []


@pytest.mark.browser
def test_choosing_a_counsellor_keeps_the_ticked_rows(
    page: Page, log_in, manager, counsellor, leads
):
    log_in(page, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    page.get_by_label(f"Select {leads[0]}", exact=True).check()
    page.get_by_label("Assign selected to").select_option(label=counsellor.choice_label)
    # Any reload of the results that picking a counsellor sets off has finished by now.
    page.wait_for_load_state("networkidle")
    assert page.get_by_label(f"Select {leads[0]}", exact=True).is_checked()
    with page.expect_response(is_htmx):
        page.get_by_role("button", name="Assign", exact=True).click()
    assert Customer.objects.get(name=leads[0]).assigned_to == counsellor
