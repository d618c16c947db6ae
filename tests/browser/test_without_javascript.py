"""With JavaScript off, filtering, bulk assignment and status changes work as plain HTML forms."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from customers.models import Customer, CustomerStatusHistory

NOTE = "Did not pick up twice; will try again after 6 pm."
NEW_AND_UNASSIGNED = {"status": ["NEW"], "assigned_to": ["none"]}


@pytest.mark.browser
def test_assignment_and_status_change_work_without_javascript(
    new_context, live_server, log_in, log_out, manager, counsellor, leads
):
    page = new_context(java_script_enabled=False).new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    chosen = leads[:3]
    rows = page.locator("[data-customer-row]")

    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Status", exact=True).select_option(label="New")
    page.get_by_label("Counsellor", exact=True).select_option(label="Unassigned")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(5)
    assert parse_qs(urlsplit(page.url).query) == NEW_AND_UNASSIGNED

    for name in chosen:
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_label("Assign selected to").select_option(label=counsellor.choice_label)
    page.get_by_role("button", name="Assign", exact=True).click()
    # Redirected back to the same filtered list, with the outcome as a message.
    expect(page.get_by_role("status")).to_have_text(
        f"3 customers assigned to {counsellor.display_name}."
    )
    expect(rows).to_have_count(2)
    assert parse_qs(urlsplit(page.url).query) == NEW_AND_UNASSIGNED
    assigned = Customer.objects.filter(assigned_to=counsellor)
    assert sorted(assigned.values_list("name", flat=True)) == chosen
    log_out(page)

    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/")
    expect(rows.get_by_test_id("customer-name")).to_have_text(chosen[::-1])
    page.get_by_role("link", name=chosen[1], exact=True).click()
    page.get_by_label("Status after the call").select_option(label="Call Not Attended")
    page.get_by_label("Next follow-up").fill(f"{timezone.localdate() + timedelta(days=1):%d/%m/%Y}")
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved: “Call Not Attended”.")
    expect(page.get_by_test_id("follow-up")).to_contain_text("Next follow-up")
    expect(page.get_by_test_id("current-status")).to_have_text("Call Not Attended")
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text(NOTE)

    customer = Customer.objects.get(name=chosen[1])
    assert customer.status == Customer.Status.CALL_NOT_ATTENDED
    history = CustomerStatusHistory.objects.get(customer=customer)
    assert (history.changed_by, history.notes) == (counsellor, NOTE)
    assert not [request.url for request in requests if request.headers.get("hx-request")]
