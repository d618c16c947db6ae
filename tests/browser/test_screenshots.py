"""Screenshots of the list and detail pages at desktop and phone widths, for a human to review.

They land in test-results/screenshots/. The test also fails when a page scrolls sideways, which
is how cut-off content shows up on a phone.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from customers.factories import CustomerFactory
from customers.models import Customer

from .screens import PHONE, assert_no_sideways_scroll

S = Customer.Status
# The user guide's screenshots: a smaller laptop than the journeys' (pictures that fit a page).
WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 800}}, "phone": PHONE}
NAMES = (
    "Aditi Sharma, Akash Kumar, Anjali Menon, Arun Pillai, Deepa Iyer, Farhan Khan, Gaurav Rao, "
    "Harini Krishnan, Ishaan Bose, Jyoti Singh, Karthik Nair, Lakshmi Das, Manoj Thomas, "
    "Neha Gupta, Nikhil Joseph, Pooja Reddy, Pranav Shetty, Rohan Mathew, Sanjana Patel, "
    "Shreya Varghese, Siddharth Menon, Sneha Kumar, Tanvi Iyer, Varun Nair, Vikram Rao, "
    "Yamini Pillai, Zoya Khan, Abdul Rahman, Fathima Beevi"
).split(", ")
AREAS = ["Kochi", "Thrissur", "Kozhikode", "Thiruvananthapuram", "Bengaluru", "Coimbatore"]
LONG_NAME = "Sreelakshmi Venkataraman Padmanabhan Iyer"


@pytest.fixture
def showcase(manager, counsellor, other_counsellor):
    """A realistic list (every status, two counsellors, unassigned rows, more than one page)
    and one customer with a long name, long notes and a busy timeline."""
    today = date.today()
    statuses = list(S)
    for index, name in enumerate(NAMES):
        CustomerFactory(
            name=name,
            area=AREAS[index % len(AREAS)],
            date=today - timedelta(days=index * 2),
            status=statuses[index % len(statuses)],
            assigned_to=[counsellor, other_counsellor, None][index % 3],
        )
    customer = CustomerFactory(
        name=LONG_NAME,
        area="Thiruvananthapuram (Kazhakkoottam, near Technopark Phase III)",
        date=today - timedelta(days=12),
        remark="Parent enquired at the Kochi education fair about B.Sc Nursing and BPT.",
        notes="Prefers calls after 6 pm. Elder sister studied at the Bengaluru campus (2019).",
    )
    customer.assign_to(counsellor, by=manager)
    customer.change_status(S.VALID, by=counsellor, note="Number verified on WhatsApp.")
    customer.change_status(
        S.PLAN_PRESENTED,
        by=counsellor,
        note="Explained the fee plan, hostel and the education loan tie-up; "
        "father wants the scholarship criteria in writing before the campus visit.",
    )
    customer.assign_to(other_counsellor, by=manager)
    customer.change_status(S.INTERESTED, by=other_counsellor, note="Call back on Monday.")
    return customer


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_list_and_detail_pages(
    width, new_context, live_server, log_in, manager, showcase, screenshot_dir
):
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, manager)

    page.goto(f"{live_server.url}/customers/")
    expect(page.locator("[data-customer-row]")).to_have_count(25)
    expect(page.get_by_role("navigation", name="Pagination")).to_contain_text("Page 1 of 2")
    assert_no_sideways_scroll(page)
    # The list's own screenshots come from test_list_on_phone.py (1366x768 and 390x844).

    page.goto(f"{live_server.url}/customers/{showcase.pk}/")
    expect(page.get_by_role("heading", name=LONG_NAME)).to_be_visible()
    expect(page.get_by_test_id("timeline").get_by_role("listitem")).to_have_count(5)
    # Counsellors call from here: both buttons are on the first screen, even on a phone.
    for link in ("call-link", "whatsapp-link"):
        expect(page.get_by_test_id(link)).to_be_in_viewport()
    assert_no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"customer-detail-{width}.png", full_page=True)
