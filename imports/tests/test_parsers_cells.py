"""Text cells: length limits and cells our own export neutralized (no database)."""

import pytest

from imports.parsers import RowError, clean_row, read_table

from .files import csv_bytes, errors_of, values_of

COLUMNS = {"phone_number": 0, "name": 1, "area": 2, "remark": 3}


def test_a_clean_row_gives_every_field():
    values, error = clean_row(["9876543210", "Asha", "Kochi", "Call at 6"], COLUMNS)

    assert error is None
    assert values == {
        "phone_number": "+919876543210",
        "date": None,
        "name": "Asha",
        "area": "Kochi",
        "remark": "Call at 6",
    }


def test_a_name_of_200_characters_is_accepted():
    values, error = clean_row(["9876543210", "A" * 200, "", ""], COLUMNS)

    assert error is None
    assert values["name"] == "A" * 200


def test_an_over_long_name_fails_its_row_with_a_reason():
    values, error = clean_row(["9876543210", "A" * 201, "", ""], COLUMNS)

    assert values is None
    assert error == RowError("name", "A" * 50 + "…", "Name is longer than 200 characters.")


def test_an_over_long_area_fails_its_row_with_a_reason():
    _, error = clean_row(["9876543210", "Asha", "K" * 121, ""], COLUMNS)

    assert error.field == "area"
    assert error.reason == "Area is longer than 120 characters."


def test_a_long_remark_is_kept_whole():
    values, _ = clean_row(["9876543210", "Asha", "", "word " * 2000], COLUMNS)

    assert values["remark"] == ("word " * 2000).strip()


def test_the_phone_is_checked_before_the_other_cells():
    _, error = clean_row(["12", "A" * 300, "", ""], COLUMNS)

    assert error.field == "phone_number"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+hello", "+hello"),
        ("'-called twice", "-called twice"),
        ("'@home", "@home"),
        ("'\tindented", "\tindented"),
    ],
)
def test_cells_our_export_neutralized_come_back_without_the_apostrophe(cell, text):
    values, _ = clean_row(["9876543210", cell, "", cell], COLUMNS)

    assert values["name"] == text
    assert values["remark"] == text


@pytest.mark.parametrize("cell", ["'Tis the season", "O'Brien", "'", "'5 pm"])
def test_other_apostrophes_are_kept(cell):
    values, _ = clean_row(["9876543210", cell, "", ""], COLUMNS)

    assert values["name"] == cell


def test_neutralized_cells_round_trip_through_a_csv_file():
    data = csv_bytes(
        [["Name", "Phone", "Remark"], ['\'=HYPERLINK("x")', "9876543210", "'-5 marks short"]]
    )

    (values,) = values_of(read_table(data))

    assert values["name"] == '=HYPERLINK("x")'
    assert values["remark"] == "-5 marks short"


def test_each_failing_row_reports_its_own_row_number():
    rows = [
        ["Name", "Phone"],
        ["Asha", "9876543210"],
        ["B" * 201, "9876543211"],
        ["Ravi", "123"],
        ["Meera", "9876543213"],
    ]

    table = read_table(csv_bytes(rows))

    assert [number for number, _ in errors_of(table)] == [3, 4]
    assert [error.field for _, error in errors_of(table)] == ["name", "phone_number"]
    assert [v["name"] for v in values_of(table)] == ["Asha", "Meera"]
