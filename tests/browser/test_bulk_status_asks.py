"""Bulk "Change status" has no default and asks before it changes anything.

The status dropdown used to default to New: ticking a Shortlisted lead and pressing Change
status without touching it silently put the lead back to New.
"""

import pytest
from playwright.sync_api import expect

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

from .screens import WIDTHS, htmx_ready

S = Customer.Status


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_change_status_asks_what_it_will_do_and_does_nothing_without_a_choice(
    width, new_context, live_server, log_in, manager
):
    lead = CustomerFactory(name="Shreya Varghese", status=S.SHORTLISTED)
    page = new_context(**WIDTHS[width]).new_page()
    questions = []
    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/?select=1")
    page.reload()  # a reload in the middle keeps the selecting state
    htmx_ready(page)
    bulk = page.get_by_test_id("bulk-actions")
    expect(bulk.get_by_label("Set status")).to_have_value("")  # nothing chosen

    # Pressed without a choice: nothing changes, and the page says what is missing.
    page.get_by_label("Select Shreya Varghese", exact=True).check()
    bulk.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status"))).to_contain_text(
        "Choose the status to move the selected customers to."
    )
    lead.refresh_from_db()
    assert lead.status == S.SHORTLISTED

    # With a choice it asks first; "Cancel" changes nothing.
    htmx_ready(page)
    if width == "phone":  # finishing an action leaves selecting mode there
        page.get_by_role("link", name="Select").click()
    page.get_by_label("Select Shreya Varghese", exact=True).check()
    bulk.get_by_label("Set status").select_option(label="Campus Visit")
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    bulk.get_by_role("button", name="Change status").click()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert questions == ["Change 1 customer to “Campus Visit”?"]
    lead.refresh_from_db()
    assert lead.status == S.SHORTLISTED

    # "OK" changes it, with one history row.
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    bulk.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("moved to “Campus Visit”")
    lead.refresh_from_db()
    assert lead.status == S.CAMPUS_VISIT
    assert CustomerStatusHistory.objects.filter(customer=lead).count() == 1
