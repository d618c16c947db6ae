"""Enquiry dates in every accepted form, Indian day-first; an unreadable date leaves the date
empty and warns, the row is still imported (no database)."""

from datetime import date, datetime

import pytest

from imports.parsers import RowError, clean_row, parse_date, read_table

from .files import csv_bytes, errors_of, values_of, xlsx_bytes

COLUMNS = {"phone_number": 0, "date": 1}


@pytest.mark.parametrize(
    "value",
    [
        "05/01/2026",
        "5/1/2026",
        "05-01-2026",
        "05.01.2026",
        "2026-01-05",
        "05/01/26",
        "5 Jan 2026",
        "05-Jan-2026",
        "5 January 2026",
        "2026-01-05 10:30:00",
        "05/01/2026 10:30",
        "2026-01-05T10:30:00",
        " 05/01/2026 ",
    ],
)
def test_text_dates_are_read_day_first(value):
    assert parse_date(value) == date(2026, 1, 5)


def test_an_ambiguous_date_is_read_as_the_indian_day_first():
    assert parse_date("01/02/2026") == date(2026, 2, 1)
    assert parse_date("01-02-2026") == date(2026, 2, 1)
    assert parse_date("01.02.2026") == date(2026, 2, 1)


@pytest.mark.parametrize(
    "value",
    [date(2026, 1, 5), datetime(2026, 1, 5, 18, 45)],
    ids=["date cell", "date-time cell"],
)
def test_real_date_cells_are_taken_as_they_are(value):
    assert parse_date(value) == date(2026, 1, 5)


@pytest.mark.parametrize("value", [46027, 46027.0, 46027.75, "46027", "46027.0"])
def test_excel_serial_numbers_are_dates(value):
    assert parse_date(value) == date(2026, 1, 5)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_date_is_no_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "value",
    ["31/02/2026", "tomorrow", "32/01/2026", "2026-13-01", "5", "999999", "Jan 2026", "12/31/2026"],
)
def test_an_unreadable_date_is_left_empty_and_the_row_kept_with_a_warning(value):
    values, warning = clean_row(["9876543210", value], COLUMNS)

    assert (values["phone_number"], values["date"]) == ("+919876543210", None)
    assert warning == RowError(
        "date",
        value,
        f"“{value}” is not a date. Write dates as DD/MM/YYYY, e.g. 31/01/2026. "
        "The row was imported without the date.",
        warning=True,
    )


def test_a_bad_phone_still_fails_the_row_whatever_the_date():
    values, error = clean_row(["98765", "31/02/2026"], COLUMNS)

    assert values is None
    assert (error.field, error.warning) == ("phone_number", False)


def test_a_bad_date_and_a_too_long_name_fail_the_row_on_the_name():
    values, error = clean_row(["9876543210", "31/02/2026", "A" * 201], {**COLUMNS, "name": 2})

    assert values is None
    assert (error.field, error.warning) == ("name", False)


def test_a_serial_number_outside_plausible_years_is_not_a_date():
    values, error = clean_row(["9876543210", 5.0], COLUMNS)

    assert values["date"] is None
    assert (error.field, error.warning) == ("date", True)
    assert error.reason.startswith("“5” is not a date.")


def test_dates_in_a_csv_file_are_read_row_by_row():
    rows = [
        ["Phone", "Enquiry Date"],
        ["9876543210", "05/01/2026"],
        ["9876543211", "31/02/2026"],
        ["9876543212", ""],
        ["9876543213", "46027"],
    ]

    table = read_table(csv_bytes(rows))

    assert [v["date"] for v in values_of(table)] == [date(2026, 1, 5), None, None, date(2026, 1, 5)]
    ((number, error),) = errors_of(table)
    assert number == 3
    assert (error.field, error.warning) == ("date", True)
    assert table.label(error.field) == "Enquiry Date"


def test_date_and_serial_cells_in_an_xlsx_file():
    rows = [
        ["Phone", "Lead Date"],
        ["9876543210", date(2026, 1, 5)],
        ["9876543211", datetime(2026, 2, 1, 9, 30)],
        ["9876543212", 46027],
        ["9876543213", "01/02/2026"],
    ]

    table = read_table(xlsx_bytes(rows))

    assert [v["date"] for v in values_of(table)] == [
        date(2026, 1, 5),
        date(2026, 2, 1),
        date(2026, 1, 5),
        date(2026, 2, 1),
    ]
