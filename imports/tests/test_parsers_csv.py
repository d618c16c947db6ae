"""Reading CSV bytes: encodings, delimiters, quoting, title rows and blank rows (no database)."""

import pytest

from imports.parsers import read_table

from .files import csv_bytes, values_of

ROWS = [["Name", "Phone", "Area"], ["José Mathew", "9876543210", "Kochi"]]


def only_row(table):
    (values,) = values_of(table)
    return values


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("Name,Phone\nJosé Mathew,9876543210\n".encode(), id="utf-8"),
        pytest.param("\ufeffName,Phone\nJosé Mathew,9876543210\n".encode(), id="utf-8 with BOM"),
        pytest.param(
            "\ufeffName,Phone\nJosé Mathew,9876543210\n".encode("utf-16-le"), id="utf-16le"
        ),
        pytest.param(
            "\ufeffName,Phone\nJosé Mathew,9876543210\n".encode("utf-16-be"), id="utf-16be"
        ),
        pytest.param("Name,Phone\nJosé Mathew,9876543210\n".encode("utf-16"), id="utf-16 native"),
        pytest.param(b"Name,Phone\nJos\xe9 Mathew,9876543210\n", id="cp1252"),
    ],
)
def test_every_accepted_encoding_reads_the_same_name(data):
    table = read_table(data)

    assert table.format == "csv"
    assert table.header == ["Name", "Phone"]
    assert only_row(table) == {
        "phone_number": "+919876543210",
        "name": "José Mathew",
        "area": "",
        "date": None,
        "remark": "",
    }


def test_the_bom_does_not_stick_to_the_first_header():
    table = read_table("\ufeffPhone,Name\n9876543210,Asha\n".encode())

    assert table.header == ["Phone", "Name"]
    assert table.columns["phone_number"] == 0


def test_cp1252_curly_quotes_and_accents_are_decoded():
    data = b"Name,Phone,Remark\nJos\xe9,9876543210,Parent\x92s call \x93urgent\x94\n"

    assert only_row(read_table(data))["remark"] == "Parent’s call “urgent”"


def test_bytes_that_are_not_cp1252_fall_back_to_latin_1():
    # 0x81 and 0x8d have no character in Windows-1252, so only Latin-1 can read this file.
    data = b"Name,Phone\nJos\xe9 \x81\x8d,9876543210\n"

    assert only_row(read_table(data))["name"] == "José \x81\x8d"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_comma_semicolon_and_tab_delimited_files_are_read(delimiter):
    table = read_table(csv_bytes(ROWS, delimiter=delimiter))

    assert table.header == ["Name", "Phone", "Area"]
    assert only_row(table)["area"] == "Kochi"


def test_a_semicolon_file_with_commas_inside_cells_keeps_them():
    data = b"Name;Phone;Area;Remark\nNair, Anjali;9876543210;Kochi;Called, no answer\n"

    values = only_row(read_table(data))

    assert values["name"] == "Nair, Anjali"
    assert values["remark"] == "Called, no answer"


def test_quoted_cells_keep_their_commas_newlines_and_quotes():
    rows = [
        ["Name", "Phone", "Remark"],
        ["Nair, Anjali", "9876543210", 'Said "call after 6"\nthen hung up'],
        ["Rohan", "9876543211", "second"],
    ]

    table = read_table(csv_bytes(rows))

    first, second = values_of(table)
    assert first["name"] == "Nair, Anjali"
    assert first["remark"] == 'Said "call after 6"\nthen hung up'
    # Row numbers count records, as a spreadsheet shows them, not physical lines.
    assert [number for number, _ in table.rows] == [2, 3]
    assert second["name"] == "Rohan"


def test_windows_line_endings_are_read():
    data = b"Name,Phone\r\nAsha,9876543210\r\nRavi,9876543211\r\n"

    assert [v["name"] for v in values_of(read_table(data))] == ["Asha", "Ravi"]


def test_title_rows_above_the_header_are_skipped():
    data = (
        b"Leads export from Shiksha portal\n"
        b"Generated on 05/01/2026,,\n"
        b"\n"
        b"Student Name,Mobile No,City\n"
        b"Asha,9876543210,Kochi\n"
    )

    table = read_table(data)

    assert table.header == ["Student Name", "Mobile No", "City"]
    assert table.header_row == 4
    assert table.rows == [(5, ["Asha", "9876543210", "Kochi"])]


def test_blank_rows_are_skipped_and_not_counted():
    data = b"Name,Phone\nAsha,9876543210\n\n,\n  ,  \nRavi,9876543211\n\n\n"

    table = read_table(data)

    assert table.total == 2
    assert [number for number, _ in table.rows] == [2, 6]


def test_rows_with_only_commas_are_blank():
    data = b"Name,Phone,Area\nAsha,9876543210,Kochi\n,,\n , , \nRavi,9876543211,\n"

    table = read_table(data)

    assert table.total == 2
    assert [number for number, _ in table.rows] == [2, 5]


def test_short_rows_read_missing_cells_as_empty():
    table = read_table(b"Phone,Name,Area\n9876543210\n")

    assert only_row(table) == {
        "phone_number": "+919876543210",
        "name": "",
        "area": "",
        "date": None,
        "remark": "",
    }


def test_cells_are_trimmed():
    table = read_table(b"Name,Phone,Area\n  Asha Menon  , 9876543210 ,\tKochi \n")

    values = only_row(table)
    assert values["name"] == "Asha Menon"
    assert values["area"] == "Kochi"
