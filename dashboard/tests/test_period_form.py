"""The manager dashboard's period picker, without the database."""

from datetime import date

import pytest

from dashboard.forms import Period, PeriodForm

TODAY = date(2025, 3, 10)


def period(params):
    return PeriodForm(params or None).period(TODAY)


def test_the_default_is_the_last_30_days_including_today():
    assert period({}) == Period(date(2025, 2, 9), TODAY, 30)


@pytest.mark.parametrize("days, since", [("7", date(2025, 3, 4)), ("90", date(2024, 12, 11))])
def test_presets(days, since):
    assert period({"days": days}) == Period(since, TODAY, int(days))


@pytest.mark.parametrize("start, end", [("2025-01-01", "2025-01-31"), ("01/01/2025", "31/01/2025")])
def test_a_range_of_dates_both_included(start, end):
    chosen = period({"start": start, "end": end})

    assert chosen == Period(date(2025, 1, 1), date(2025, 1, 31))
    assert chosen.length == 31
    assert chosen.dates()[0] == date(2025, 1, 1) and chosen.dates()[-1] == date(2025, 1, 31)
    assert chosen.as_query() == {"start": "2025-01-01", "end": "2025-01-31"}


def test_a_single_day():
    assert period({"start": "2025-01-05", "end": "2025-01-05"}).length == 1


@pytest.mark.parametrize(
    "params, error",
    [
        ({"start": "2025-02-01", "end": "2025-01-01"}, "The period has to start before it ends."),
        ({"start": "2024-01-01", "end": "2025-01-31"}, "Choose a period of at most 366 days."),
        ({"start": "2025-01-01"}, "Choose both dates of the period, or a number of days."),
        ({"days": "14"}, "Select a valid choice. 14 is not one of the available choices."),
        (
            {"start": "yesterday", "end": "2025-01-01"},
            "Type the date as DD/MM/YYYY, for example 25/12/2026.",
        ),
        (
            {"start": "31/02/2025", "end": "31/03/2025"},
            "“31/02/2025” is not a date: February 2025 has 28 days.",
        ),
    ],
)
def test_bad_periods_are_refused_and_the_default_used(params, error):
    form = PeriodForm(params)

    assert not form.is_valid()
    assert error in [message for messages in form.errors.values() for message in messages]
    assert form.period(TODAY) == Period.last(30, TODAY)


def test_other_parameters_such_as_the_sort_leave_the_default():
    assert period({"sort": "-assigned"}) == Period.last(30, TODAY)


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-05"), ("9999-12-30", "9999-12-31")]
)
def test_dates_far_outside_any_business_year_are_a_message_not_a_crash(manager_client, start, end):
    response = manager_client.get("/dashboard/", {"start": start, "end": end})

    assert response.status_code == 200
    assert "Choose a date between 2000 and 2100." in response.content.decode()
