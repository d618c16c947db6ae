"""A counsellor adds a walk-in from their list, at 1366x768 and 390x844: a number someone else
holds is refused without naming them; Back and a reload in the middle lose nothing and add
nothing twice; the new customer is theirs and on their list."""

import pytest
from playwright.sync_api import expect

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory

from .screens import WIDTHS, assert_no_sideways_scroll


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_counsellor_adds_a_walk_in_who_becomes_theirs(
    new_context, live_server, log_in, counsellor, other_counsellor, width, screenshot_dir
):
    CustomerFactory(name="Rohan Das", phone_number="+919895022334", assigned_to=other_counsellor)
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/")

    page.get_by_role("link", name="New customer").click()
    expect(page.get_by_role("heading", name="New customer")).to_be_visible()
    expect(page.get_by_label("Assign to")).to_have_count(0)
    page.get_by_label("Name").fill("Kavya Pillai")
    page.get_by_label("Phone number").fill("98950 22334")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This number is already in the system. Ask a manager")).to_be_visible()
    expect(page.get_by_text("Rohan Das")).to_have_count(0)
    expect(page.get_by_text("Meera")).to_have_count(0)
    assert_no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"walk-in-duplicate-{width}.png", full_page=True)

    # Back (to the form, then the list) with a reload between: nothing was added.
    page.go_back()
    expect(page.get_by_role("heading", name="New customer")).to_be_visible()
    page.reload()
    page.go_back()
    expect(page.get_by_role("link", name="New customer")).to_be_visible()
    assert Customer.objects.filter(name="Kavya Pillai").count() == 0

    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name").fill("Kavya Pillai")
    page.get_by_label("Phone number").fill("+91 98765 43210")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Customer Kavya Pillai added.")
    # A reload of the customer's page posts nothing again.
    page.reload()
    kavya = Customer.objects.get(phone_number="+919876543210")
    assert kavya.assigned_to == counsellor
    history = CustomerAssignmentHistory.objects.get(customer=kavya)
    assert (history.new_assignee, history.changed_by) == (counsellor, counsellor)

    page.goto(f"{live_server.url}/customers/")
    expect(page.get_by_role("link", name="Kavya Pillai", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_have_count(0)
