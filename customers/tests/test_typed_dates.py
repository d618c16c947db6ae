"""Dates and times as typed into the forms: day first, whatever the browser's language.

What a person types goes in, what the form makes of it (or says about it) comes out; no page,
no browser. The browser's `pattern` attribute is checked against the same samples here, and in
a real Chromium by tests/browser/test_dates.py.
"""

import re
from datetime import date, time

import pytest

from customers.dates import (
    DATE_SHAPE,
    TIME_SHAPE,
    html_pattern,
    parse_date,
    parse_time,
    quick_dates,
)
from customers.forms import BulkStatusForm, CustomerForm, StatusForm
from customers.models import Customer
from customers.tests.days import soon
from dashboard.forms import PeriodForm

S = Customer.Status
SHAPELESS = "Type the date as DD/MM/YYYY, for example 25/12/2026."
# How people in India write 8 December 2026, on a keyboard or a phone's number pad.
EIGHTH_OF_DECEMBER = [
    "08/12/2026",
    "8/12/2026",
    "08-12-2026",
    "8-12-26",
    "08.12.2026",
    "8/12/26",
    "08122026",
    " 08/12/2026 ",
    "08 / 12 / 2026",
    "2026-12-08",  # ISO: what links and other programs write
]
NOT_IN_THE_CALENDAR = {
    "31/02/2026": "“31/02/2026” is not a date: February 2026 has 28 days.",
    "29/02/2027": "“29/02/2027” is not a date: February 2027 has 28 days.",
    "31/04/2026": "“31/04/2026” is not a date: April 2026 has 30 days.",
    "00/12/2026": "“00/12/2026” is not a date: December 2026 has 31 days.",
    "2026-13-01": "“2026-13-01” is not a date: there is no month 13. "
    "Type the day first, as DD/MM/YYYY.",
    # Month first, as a US computer would have it: refused, never read as 12 May.
    "05/25/2026": "“05/25/2026” is not a date: there is no month 25. "
    "Type the day first, as DD/MM/YYYY.",
    "08/12/3026": "Choose a date between 1900 and 2100.",
    "01/01/0001": "Choose a date between 1900 and 2100.",
}
NOT_DATES = [
    "tomorrow",
    "8122026",
    "2026/12/08",
    "08/12",
    "२६/०१/२०२६",
    "08//12/2026",
    "8 Dec 2026",
]


@pytest.mark.parametrize("typed", EIGHTH_OF_DECEMBER)
def test_a_date_is_read_day_first_however_it_is_written(typed):
    assert parse_date(typed) == date(2026, 12, 8)


def test_a_two_digit_year_is_this_centurys():
    assert parse_date("1/1/99") == date(2099, 1, 1)


def test_29_february_in_a_leap_year():
    assert parse_date("29/02/2028") == date(2028, 2, 29)


@pytest.mark.parametrize("typed, message", NOT_IN_THE_CALENDAR.items())
def test_a_date_not_in_the_calendar_says_what_is_wrong(typed, message):
    with pytest.raises(ValueError) as refused:
        parse_date(typed)

    assert str(refused.value) == message


@pytest.mark.parametrize("typed", NOT_DATES)
def test_what_is_not_a_date_is_asked_for_day_first(typed):
    with pytest.raises(ValueError) as refused:
        parse_date(typed)

    assert str(refused.value) == SHAPELESS


@pytest.mark.parametrize(
    "typed, read",
    [
        ("16:30", time(16, 30)),
        ("9:05", time(9, 5)),
        ("16.30", time(16, 30)),
        ("1630", time(16, 30)),
        ("0930", time(9, 30)),
        ("4:30 pm", time(16, 30)),
        ("4:30PM", time(16, 30)),
        ("4pm", time(16, 0)),
        ("12:15 am", time(0, 15)),
        ("12 pm", time(12, 0)),
        ("00:00", time(0, 0)),
    ],
)
def test_a_time_is_read_on_the_24_hour_clock_or_with_am_pm(typed, read):
    assert parse_time(typed) == read


@pytest.mark.parametrize(
    "typed, message",
    [
        ("25:00", "“25:00” is not a time: hours go from 00 to 23."),
        ("24:00", "“24:00” is not a time: hours go from 00 to 23."),
        ("12:60", "“12:60” is not a time: minutes go from 00 to 59."),
        ("13:00 pm", "“13:00 pm” is not a time: with am or pm, hours go from 1 to 12."),
        ("7", "Type the time as HH:MM on the 24-hour clock, for example 16:30."),
        ("half past four", "Type the time as HH:MM on the 24-hour clock, for example 16:30."),
        ("23:59:59.999999", "Type the time as HH:MM on the 24-hour clock, for example 16:30."),
    ],
)
def test_what_is_not_a_time_says_why(typed, message):
    with pytest.raises(ValueError) as refused:
        parse_time(typed)

    assert str(refused.value) == message


def test_the_browsers_pattern_lets_through_every_shape_the_server_reads():
    """A pattern stricter than the server would block a date with no message but the
    browser's; a looser one sends what the server then explains (also fine)."""
    date_pattern = re.compile(html_pattern(DATE_SHAPE))
    time_pattern = re.compile(html_pattern(TIME_SHAPE))

    for typed in EIGHTH_OF_DECEMBER + list(NOT_IN_THE_CALENDAR):
        assert date_pattern.fullmatch(typed), typed
    for typed in NOT_DATES:
        assert not date_pattern.fullmatch(typed), typed
    for typed in ["16:30", "1630", "4:30 pm", "4pm", "25:00"]:
        assert time_pattern.fullmatch(typed), typed
    for typed in ["7", "half past four", "16:30:00"]:
        assert not time_pattern.fullmatch(typed), typed


# ---------------------------------------------------------------------------------------------
# The forms: what each date box reads and shows.


def status_form(customer=None, **data):
    return StatusForm(data, customer=customer or Customer(status=S.NEW))


def test_the_follow_up_is_read_day_first():
    day = soon()

    form = status_form(status=S.FOLLOW_UP, follow_up_on=f"{day:%d/%m/%Y}", follow_up_time="1630")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["follow_up_on"], form.cleaned_data["follow_up_time"]) == (
        day,
        time(16, 30),
    )


def test_the_follow_up_as_typed_short():
    day = soon()

    form = status_form(status=S.FOLLOW_UP, follow_up_on=f"{day.day}/{day.month}/{day:%y}")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["follow_up_on"] == day


@pytest.mark.parametrize(
    "typed, message",
    [
        ("31/02/2026", NOT_IN_THE_CALENDAR["31/02/2026"]),
        ("2026-13-01", NOT_IN_THE_CALENDAR["2026-13-01"]),
        ("tomorrow", SHAPELESS),
        ("", "Choose when to call again: “Follow Up” needs a follow-up date."),
    ],
)
def test_a_bad_follow_up_is_refused_with_its_reason(typed, message):
    form = status_form(status=S.FOLLOW_UP, follow_up_on=typed)

    assert form.errors["follow_up_on"] == [message]


def test_a_bad_time_is_refused_with_its_reason():
    form = status_form(
        status=S.FOLLOW_UP, follow_up_on=f"{soon():%d/%m/%Y}", follow_up_time="25:00"
    )

    assert form.errors["follow_up_time"] == ["“25:00” is not a time: hours go from 00 to 23."]


def test_the_follow_up_boxes_show_the_date_day_first_and_the_time_on_the_24_hour_clock():
    customer = Customer(
        status=S.FOLLOW_UP, follow_up_on=date(2026, 12, 8), follow_up_time=time(16, 30)
    )
    form = StatusForm(customer=customer)

    when, at = str(form["follow_up_on"]), str(form["follow_up_time"])

    assert 'type="text"' in when and 'value="08/12/2026"' in when
    assert 'inputmode="numeric"' in when and 'placeholder="DD/MM/YYYY"' in when
    assert 'autocomplete="off"' in when and "pattern=" in when
    assert 'type="text"' in at and 'value="16:30"' in at and 'placeholder="HH:MM"' in at


def test_a_bad_date_stays_in_its_box_as_typed():
    form = status_form(status=S.FOLLOW_UP, follow_up_on="31/02/2026")

    assert 'value="31/02/2026"' in str(form["follow_up_on"])


@pytest.mark.django_db
def test_the_enquiry_date_is_read_and_shown_day_first():
    form = CustomerForm(
        {"name": "Sneha Pillai", "phone_number": "9876543210", "area": "Kochi", "date": "7/3/25"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == date(2025, 3, 7)
    assert 'value="07/03/2025"' in str(
        CustomerForm(instance=Customer(date=date(2025, 3, 7)))["date"]
    )


@pytest.mark.django_db
def test_the_bulk_follow_up_is_read_day_first(customer, manager):
    day = soon()
    data = {"customer_ids": [customer.pk], "status": S.FOLLOW_UP, "follow_up_on": f"{day:%d-%m-%Y}"}

    form = BulkStatusForm(data, queryset=Customer.objects.all(), user=manager)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["follow_up_on"] == day


@pytest.mark.django_db
def test_a_bad_bulk_follow_up_says_why(customer, manager):
    data = {"customer_ids": [customer.pk], "status": S.FOLLOW_UP, "follow_up_on": "31/02/2026"}

    form = BulkStatusForm(data, queryset=Customer.objects.all(), user=manager)

    assert form.errors["follow_up_on"] == [NOT_IN_THE_CALENDAR["31/02/2026"]]


def test_the_dashboards_period_is_read_day_first():
    form = PeriodForm({"start": "1/11/2026", "end": "30/11/2026"})

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
    )


@pytest.mark.parametrize(
    "today, picks",
    [
        # Monday to Friday: tomorrow, and a week on.
        (date(2026, 12, 7), [("Tomorrow", date(2026, 12, 8)), ("In a week", date(2026, 12, 14))]),
        # Saturday: nobody calls on Sunday.
        (date(2026, 12, 12), [("Monday", date(2026, 12, 14)), ("In a week", date(2026, 12, 19))]),
    ],
)
def test_the_quick_picks_are_working_days(today, picks):
    assert quick_dates(today) == picks
