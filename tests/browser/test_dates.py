"""Dates one way: DD/MM/YYYY in every date box and on every page, whatever the browser's language.

A native <input type="date"> showed 12/08/2026 beside "Next follow-up: 08/12/2026" in a US
English browser. The boxes are text now, read day first by the server; these tests run
Chromium in US English (and Indian English) to prove what a person sees and what is saved.
"""

from datetime import date, time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from customers.dates import quick_dates
from customers.factories import CustomerFactory
from customers.models import Customer
from customers.tests.days import soon

from .screens import WIDTHS, assert_no_sideways_scroll

US_ENGLISH = {"locale": "en-US", "timezone_id": "America/New_York"}


def pattern_mismatch(page: Page, label: str, typed: str) -> bool:
    """Whether the browser itself refuses `typed` in the box labelled `label`."""
    box = page.get_by_label(label)
    box.fill(typed)
    return box.evaluate("box => box.validity.patternMismatch")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_follow_up_typed_day_first_in_a_us_english_browser(
    width, new_context, live_server, log_in, counsellor, screenshot_dir
):
    customer = CustomerFactory(name="Sneha Pillai", assigned_to=counsellor)
    day = soon()
    pick_label, pick_day = quick_dates(timezone.localdate())[0]
    page = new_context(**WIDTHS[width], **US_ENGLISH).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")

    when, at = page.get_by_label("Next follow-up"), page.get_by_label("at (optional)")
    expect(page.locator("label[for=id_follow_up_on]")).to_have_text("Next follow-up")
    expect(when).to_have_attribute("placeholder", "DD/MM/YYYY")
    expect(page.locator("#id_follow_up_on_helptext")).to_have_text(
        "DD/MM/YYYY. Needed for Follow Up and Call Not Attended."
    )
    # Chromium compiles the pattern (a broken one would let everything through) and it
    # lets through what a person here types.
    assert pattern_mismatch(page, "Next follow-up", "tomorrow")
    assert not pattern_mismatch(page, "Next follow-up", "8/12/26")
    assert not pattern_mismatch(page, "Next follow-up", "08122026")

    # A quick pick fills the box day first; then the person types a day of their own.
    page.get_by_role("button", name=pick_label).click()
    expect(when).to_have_value(f"{pick_day:%d/%m/%Y}")
    when.fill("")
    when.press_sequentially(f"{day:%d/%m/%Y}")
    at.press_sequentially("16:30")
    page.get_by_label("Status after the call").select_option(label="Follow Up")
    assert_no_sideways_scroll(page)
    page.locator("#status-panel").screenshot(path=screenshot_dir / f"follow-up-{width}.png")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved: “Follow Up”.")
    shown = f"Next follow-up: {day:%d/%m/%Y} at 16:30"
    expect(page.get_by_test_id("follow-up")).to_have_text(shown)
    expect(when).to_have_value(f"{day:%d/%m/%Y}")
    expect(at).to_have_value("16:30")
    # The panel htmx swapped in has its quick picks too.
    expect(page.get_by_role("button", name=pick_label)).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("follow-up")).to_have_text(shown)
    expect(when).to_have_value(f"{day:%d/%m/%Y}")
    expect(at).to_have_value("16:30")

    page.goto(f"{live_server.url}/customers/")
    expect(page.get_by_role("link", name="Sneha Pillai", exact=True)).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("follow-up")).to_have_text(shown)
    expect(when).to_have_value(f"{day:%d/%m/%Y}")

    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on, customer.follow_up_time) == (
        Customer.Status.FOLLOW_UP,
        day,
        time(16, 30),
    )
    assert errors == []


@pytest.mark.browser
def test_a_date_that_is_not_in_the_calendar_is_explained_and_kept(
    new_context, live_server, log_in, counsellor
):
    customer = CustomerFactory(name="Sneha Pillai", assigned_to=counsellor)
    page = new_context(**WIDTHS["desktop"], **US_ENGLISH).new_page()
    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    page.get_by_label("Status after the call").select_option(label="Follow Up")
    page.get_by_label("Next follow-up").fill("31/02/2026")
    page.get_by_role("button", name="Save").click()

    expect(
        page.get_by_text("“31/02/2026” is not a date: February 2026 has 28 days.")
    ).to_be_visible()
    expect(page.get_by_label("Next follow-up")).to_have_value("31/02/2026")
    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on) == (Customer.Status.NEW, None)


@pytest.mark.browser
@pytest.mark.parametrize(
    "language",
    [US_ENGLISH, {"locale": "en-IN", "timezone_id": "Asia/Kolkata"}],
    ids=["en-US", "en-IN"],
)
def test_dates_are_shown_day_first_whatever_the_browsers_language(
    language, new_context, live_server, log_in, manager, counsellor
):
    # 8 December: month first it would read 12/08.
    planned = date(timezone.localdate().year + 1, 12, 8)
    customer = CustomerFactory(
        name="Sneha Pillai",
        assigned_to=counsellor,
        status=Customer.Status.FOLLOW_UP,
        follow_up_on=planned,
        follow_up_time=time(16, 30),
        date=date(2026, 3, 7),
    )
    page = new_context(**WIDTHS["desktop"], **language).new_page()
    log_in(page, manager)

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_test_id("follow-up")).to_have_text(
        f"Next follow-up: 08/12/{planned.year} at 16:30"
    )
    expect(page.get_by_label("Next follow-up")).to_have_value(f"08/12/{planned.year}")
    expect(page.get_by_label("at (optional)")).to_have_value("16:30")
    # What is drawn is the value itself: no date picker re-writes it in the browser's order.
    assert page.get_by_label("Next follow-up").evaluate("box => box.type") == "text"

    page.goto(f"{live_server.url}/customers/")
    expect(page.get_by_role("textbox", name="Follow-up")).to_have_attribute(
        "placeholder", "DD/MM/YYYY"
    )
    expect(page.get_by_role("row", name="Sneha Pillai")).to_contain_text("07/03/2026")

    page.goto(f"{live_server.url}/dashboard/?start=2026-11-01&end=2026-11-30")
    expect(page.get_by_label("From")).to_have_value("01/11/2026")
    expect(page.get_by_label("To", exact=True)).to_have_value("30/11/2026")


@pytest.mark.browser
def test_without_javascript_the_date_is_typed_and_the_picks_stay_hidden(
    new_context, live_server, log_in, counsellor
):
    customer = CustomerFactory(name="Sneha Pillai", assigned_to=counsellor)
    day = soon()
    page = new_context(**WIDTHS["phone"], **US_ENGLISH, java_script_enabled=False).new_page()
    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    expect(page.locator("[data-quick-dates]")).to_be_hidden()
    page.get_by_label("Status after the call").select_option(label="Call Not Attended")
    page.get_by_label("Next follow-up").fill(f"{day.day}/{day.month}/{day:%y}")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("follow-up")).to_have_text(f"Next follow-up: {day:%d/%m/%Y}")
    customer.refresh_from_db()
    assert customer.follow_up_on == day
