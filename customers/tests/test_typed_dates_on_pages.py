"""Dates typed day first into the pages' forms, as a person types them (WebTest, CSRF on).

The forms come from the rendered pages and only what a person changes is changed.
"""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory
from customers.tests.days import soon
from customers.tests.pages import press

S = Customer.Status


def text(page, selector: str) -> str:
    """The words in the element `selector` picks, spaced as a person reads them."""
    return " ".join(page.html.select_one(selector).get_text(" ").split())


def test_a_follow_up_typed_day_first_on_the_customers_page_is_saved_and_shown_so(
    app, counsellor, customer
):
    day = soon()
    form = app.get(f"/customers/{customer.pk}/", user=counsellor).forms["status-form"]
    form["status"] = S.FOLLOW_UP
    form["follow_up_on"] = f"{day:%d/%m/%Y}"
    form["follow_up_time"] = "16:30"

    page = form.submit().follow()

    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on, customer.follow_up_time) == (
        S.FOLLOW_UP,
        day,
        time(16, 30),
    )
    shown = text(page, "[data-testid=follow-up]")
    assert shown == f"Next follow-up: {day:%d/%m/%Y} at 16:30"
    again = page.forms["status-form"]
    assert (again["follow_up_on"].value, again["follow_up_time"].value) == (
        f"{day:%d/%m/%Y}",
        "16:30",
    )


def test_a_follow_up_typed_the_short_way_is_saved(app, counsellor, customer):
    day = soon()
    form = app.get(f"/customers/{customer.pk}/", user=counsellor).forms["status-form"]
    form["status"] = S.CALL_NOT_ATTENDED
    form["follow_up_on"] = f"{day.day}-{day.month}-{day:%y}"

    form.submit().follow()

    customer.refresh_from_db()
    assert customer.follow_up_on == day


@pytest.mark.parametrize(
    "typed, message",
    [
        ("31/02/2026", "“31/02/2026” is not a date: February 2026 has 28 days."),
        ("2026-13-01", "“2026-13-01” is not a date: there is no month 13."),
        ("tomorrow", "Type the date as DD/MM/YYYY, for example 25/12/2026."),
        ("", "Choose when to call again: “Follow Up” needs a follow-up date."),
    ],
)
def test_a_bad_follow_up_is_refused_and_kept_as_typed(app, counsellor, customer, typed, message):
    form = app.get(f"/customers/{customer.pk}/", user=counsellor).forms["status-form"]
    form["status"] = S.FOLLOW_UP
    form["notes"] = "Asked to call after the exams."
    form["follow_up_on"] = typed

    page = form.submit(status=400)

    assert message in page.text
    again = page.forms["status-form"]
    assert again["follow_up_on"].value == typed
    assert again["notes"].value == "Asked to call after the exams."
    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on) == (S.NEW, None)
    assert not CustomerStatusHistory.objects.exists()


def test_the_follow_up_date_is_not_called_optional(app, counsellor, customer):
    page = app.get(f"/customers/{customer.pk}/", user=counsellor)

    label = text(page, "label[for=id_follow_up_on]")
    help_text = text(page, "#id_follow_up_on_helptext")
    assert label == "Next follow-up"
    assert help_text == "DD/MM/YYYY. Needed for Follow Up and Call Not Attended."
    assert (
        page.html.select_one("#id_follow_up_on")["aria-describedby"] == "id_follow_up_on_helptext"
    )
    assert text(page, "label[for=id_follow_up_time]") == "at (optional)"


def test_the_quick_picks_wait_for_javascript_and_name_their_box(app, counsellor, customer):
    page = app.get(f"/customers/{customer.pk}/", user=counsellor)

    picks = page.html.select_one("#status-form [data-quick-dates]")
    assert picks.has_attr("hidden")  # without JavaScript they could do nothing
    buttons = picks.find_all("button")
    assert [button.get("type") for button in buttons] == ["button", "button"]
    assert {button.get("aria-controls") for button in buttons} == {"id_follow_up_on"}


def test_a_bulk_follow_up_typed_day_first_is_saved(app, manager, counsellor):
    day = soon()
    chosen = CustomerFactory(name="Kavya Menon", assigned_to=counsellor)
    CustomerFactory(name="Left alone", assigned_to=counsellor)
    bulk = app.get("/customers/", user=manager).forms["bulk-form"]
    rows = [box["value"] for box in bulk.html.find_all("input", attrs={"name": "customer_ids"})]
    bulk.get("customer_ids", index=rows.index(str(chosen.pk))).checked = True
    bulk["status"] = S.FOLLOW_UP
    bulk["follow_up_on"] = f"{day:%d/%m/%Y}"

    press(bulk, "Change status").follow()

    chosen.refresh_from_db()
    assert (chosen.status, chosen.follow_up_on) == (S.FOLLOW_UP, day)
    assert Customer.objects.filter(status=S.FOLLOW_UP).count() == 1


def test_a_bad_bulk_follow_up_is_refused_saying_why(app, manager, customer):
    bulk = app.get("/customers/", user=manager).forms["bulk-form"]
    bulk["select_all"] = True
    bulk["status"] = S.FOLLOW_UP
    bulk["follow_up_on"] = "31/02/2026"

    page = press(bulk, "Change status").follow()

    assert "“31/02/2026” is not a date: February 2026 has 28 days." in page.text
    customer.refresh_from_db()
    assert customer.status == S.NEW


def test_the_bulk_follow_up_box_is_day_first(app, manager, customer):
    box = app.get("/customers/", user=manager).html.select_one("#id_bulk_follow_up_on")

    assert (box["type"], box["placeholder"], box["inputmode"]) == (
        "text",
        "DD/MM/YYYY",
        "numeric",
    )


def test_the_enquiry_date_typed_day_first_on_the_edit_page(app, manager, customer):
    form = app.get(f"/customers/{customer.pk}/edit/", user=manager).forms["customer-form"]
    form["date"] = "7/3/25"

    page = form.submit().follow()

    customer.refresh_from_db()
    assert customer.date == date(2025, 3, 7)
    assert "07/03/2025" in text(page, "dl")


def test_the_dashboards_period_typed_day_first(app, manager):
    form = app.get("/dashboard/", user=manager).forms["period-form"]
    assert form["start"].value == f"{timezone.localdate() - timedelta(days=29):%d/%m/%Y}"
    form["start"] = "1/11/2026"
    form["end"] = "30/11/2026"

    page = form.submit()

    assert "01/11/2026 – 30/11/2026" in page.text
    again = page.forms["period-form"]
    assert (again["start"].value, again["end"].value) == ("01/11/2026", "30/11/2026")
