"""A counsellor leaves: the manager deactivates them from the Team page and hands their open
customers to the others with Reassign all; later reactivates them. At 1366 and 390 px, with a
reload and Back in the middle.

Deactivate and Reactivate used to answer 403 in a browser (their forms rendered no CSRF token).
"""

import pytest
from playwright.sync_api import expect

from customers.factories import CustomerFactory
from customers.models import Customer

from .screens import WIDTHS


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_manager_offboards_a_counsellor_and_shares_out_their_customers(
    width, new_context, live_server, log_in, manager, counsellor, other_counsellor
):
    for n in range(3):
        CustomerFactory(name=f"Leaving lead {n}", assigned_to=counsellor)
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, manager)

    # Team page → the counsellor → Deactivate.
    page.goto(f"{live_server.url}/users/")
    page.get_by_role("link", name=counsellor.display_name).first.click()
    page.reload()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("is deactivated and logged out everywhere")
    counsellor.refresh_from_db()
    assert not counsellor.is_active

    # Reassign all: pick the leaver, preview, go Back once, then confirm.
    page.goto(f"{live_server.url}/customers/reassign/")
    page.get_by_label("Move the open customers of").select_option(label=counsellor.choice_label)
    page.get_by_role("button", name="Preview").click()
    confirm = page.get_by_role("button", name=f"Confirm: move 3 from {counsellor.display_name}")
    expect(confirm).to_be_visible()
    page.go_back()
    page.go_forward()
    confirm.click()
    expect(page.get_by_role("status")).to_contain_text(
        f"3 customers shared out: 3 to {other_counsellor.display_name}"
    )
    assert Customer.objects.filter(assigned_to=other_counsellor).count() == 3

    # Later they come back.
    page.goto(f"{live_server.url}/users/{counsellor.pk}/edit/")
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("status")).to_contain_text("is active again and can log in")
    counsellor.refresh_from_db()
    assert counsellor.is_active
