"""A counsellor records calls in two taps, on a phone and a laptop: "No answer" from a My day
card (the second time it is the 2nd attempt), "Wrong number" from a row of My customers, with
Back and reload in between, and nothing but the card or the list changing in place."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

from .screens import WIDTHS, assert_no_sideways_scroll, htmx_ready

S = Customer.Status


@pytest.fixture
def calls_to_make(counsellor, other_counsellor):
    """Rahul is due for a call today, Anjali is a new enquiry; someone else's lead is not ours."""
    today = timezone.localdate()
    rahul = CustomerFactory(
        name="Rahul Varma", area="Thrissur", assigned_to=counsellor,
        status=S.FOLLOW_UP, follow_up_on=today,
    )  # fmt: skip
    anjali = CustomerFactory(name="Anjali Menon", area="Kochi", assigned_to=counsellor)
    CustomerFactory(name="Gokul Krishnan", assigned_to=other_counsellor, follow_up_on=today)
    return rahul, anjali


def card(page: Page, name: str):
    return page.locator("[data-queue-item]", has_text=name)


def record_from_card(page: Page, name: str, outcome: str) -> None:
    """Two taps: open "Record call" on the card, press the outcome; the card is swapped."""
    item = card(page, name)
    item.get_by_text("Record call", exact=True).click()
    with page.expect_response(re.compile(r"/call/$")):
        item.get_by_role("button", name=outcome, exact=True).click()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_counsellor_records_no_answer_from_my_day_and_wrong_number_from_my_customers(
    width, new_context, live_server, log_in, counsellor, calls_to_make, screenshot_dir
):
    rahul, anjali = calls_to_make
    page = new_context(**WIDTHS[width]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, counsellor)
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    htmx_ready(page)
    expect(card(page, "Gokul Krishnan")).to_have_count(0)

    # No answer, from the card: it says what happened and when the next call is.
    item = card(page, "Rahul Varma")
    item.get_by_text("Record call", exact=True).click()
    expect(item.get_by_label("Next call")).to_be_visible()
    if width == "phone":
        page.screenshot(path=screenshot_dir / "dashboard-counsellor-phone.png", full_page=True)
        assert_no_sideways_scroll(page)
    with page.expect_response(re.compile(r"/call/$")):
        item.get_by_role("button", name="No answer", exact=True).click()
    item = card(page, "Rahul Varma")
    expect(item.get_by_role("status")).to_contain_text(
        re.compile(r"Rahul Varma: No answer \(1st attempt\)\. Next call \w{3} \d\d/\d\d/\d{4} at")
    )
    expect(item).to_contain_text("Call Not Attended")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")

    # Away and Back, then reload: the call is planned for the next working day, so Rahul has
    # left today's list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="My customers")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    page.reload()
    expect(card(page, "Rahul Varma")).to_have_count(0)

    # The next working day he is due again; the second unanswered call is the 2nd attempt.
    Customer.objects.filter(pk=rahul.pk).update(follow_up_on=timezone.localdate())
    page.reload()
    htmx_ready(page)
    expect(card(page, "Rahul Varma").get_by_test_id("last-note")).to_contain_text(
        "No answer (1st attempt)"
    )
    record_from_card(page, "Rahul Varma", "No answer")
    expect(card(page, "Rahul Varma").get_by_role("status")).to_contain_text(
        "Rahul Varma: No answer (2nd attempt)."
    )

    # Wrong number, from the row in My customers: the list comes back with the message.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="My customers")).to_be_visible()
    htmx_ready(page)
    row = page.locator("[data-customer-row]", has_text="Anjali Menon")
    row.get_by_text("Record call", exact=True).click()
    with page.expect_response(re.compile(r"/call/$")):
        row.get_by_role("button", name="Wrong number", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text(
        "Anjali Menon: Wrong number, now “Invalid”."
    )
    expect(page.locator("[data-customer-row]", has_text="Anjali Menon")).to_contain_text("Invalid")
    expect(page).to_have_url(f"{live_server.url}/customers/")

    # Reload and Back: what was recorded stays recorded, and nothing is sent twice.
    page.reload()
    expect(page.locator("[data-customer-row]", has_text="Anjali Menon")).to_contain_text("Invalid")
    page.go_back()
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    page.reload()  # Back may show the page as it was; the server's says she is done
    expect(card(page, "Anjali Menon")).to_have_count(0)  # Invalid: no longer to call

    rahul.refresh_from_db()
    anjali.refresh_from_db()
    assert (rahul.status, anjali.status) == (S.CALL_NOT_ATTENDED, S.INVALID)
    assert CustomerStatusHistory.objects.filter(customer=rahul).count() == 1
    assert [n.body for n in rahul.customer_notes.order_by("created_at")] == [
        "No answer (1st attempt)",
        "No answer (2nd attempt)",
    ]
    assert CustomerStatusHistory.objects.filter(customer=anjali).count() == 1
    assert_no_sideways_scroll(page)
    assert errors == []
