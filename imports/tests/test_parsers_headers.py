"""Finding the columns: aliases, case/space/punctuation, ignored columns, no phone (no database)."""

import pytest

from imports.parsers import FileRejected, read_table

from .files import csv_bytes


def columns_of(header):
    table = read_table(csv_bytes([header, ["9876543210"] * len(header)]))
    return {field: table.header[index] for field, index in table.columns.items()}


@pytest.mark.parametrize(
    "label",
    [
        "phone_number",
        "Phone",
        "Mobile",
        "Mobile No.",
        "Mobile Number",
        "Contact Number",
        "Contact No",
        "WhatsApp",
        "WhatsApp Number",
        "PHONE NUMBER",
        "  phone-number  ",
        "Phone.Number:",
        "Parent Mobile No.",
    ],
)
def test_phone_column_aliases(label):
    assert columns_of(["Something else", label])["phone_number"] == label.strip()


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Name", "name"),
        ("Student Name", "name"),
        ("Full Name", "name"),
        ("full_name", "name"),
        ("STUDENT-NAME", "name"),
        ("Location", "area"),
        ("City", "area"),
        ("Place", "area"),
        ("Area", "area"),
        ("Enquiry Date", "date"),
        ("Lead Date", "date"),
        ("enquiry_date", "date"),
        ("Date", "date"),
        ("Remarks", "remark"),
        ("Remark", "remark"),
        ("Comment", "remark"),
        ("comments", "remark"),
    ],
)
def test_other_column_aliases(label, field):
    assert columns_of(["Phone", label])[field] == label


def test_all_five_fields_found_in_a_portal_export():
    header = ["Student Name", "Mobile No.", "City", "Lead Date", "Comment", "Course Interested"]

    table = read_table(csv_bytes([header, ["Asha", "9876543210", "", "", "", ""]]))

    assert table.columns == {"name": 0, "phone_number": 1, "area": 2, "date": 3, "remark": 4}
    assert table.label("phone_number") == "Mobile No."


def test_unknown_columns_are_listed_as_ignored():
    header = ["Course Interested", "Phone", "Source", "Name", "Budget (₹)"]

    table = read_table(csv_bytes([header, ["MBA", "9876543210", "Facebook", "Asha", "5L"]]))

    assert table.ignored == ["Course Interested", "Source", "Budget (₹)"]


def test_the_first_phone_column_wins_and_a_second_is_ignored():
    table = read_table(b"Mobile,Alternate Mobile,Name\n9876543210,9876543211,Asha\n")

    assert table.columns["phone_number"] == 0
    assert table.ignored == ["Alternate Mobile"]


def test_blank_header_cells_are_neither_fields_nor_ignored():
    table = read_table(b"Phone,,Name\n9876543210,x,Asha\n")

    assert table.columns == {"phone_number": 0, "name": 2}
    assert table.ignored == []


def test_missing_phone_column_is_rejected_with_what_to_do():
    data = b"Student Name,City,Email\nAsha,Kochi,asha@example.com\n"

    with pytest.raises(FileRejected) as rejected:
        read_table(data)

    message = str(rejected.value)
    assert "No phone column was found" in message
    assert "Mobile" in message
    # The user sees which row was taken for the header, so they can tell what went wrong.
    assert "Student Name, City, Email" in message


def test_a_phone_header_below_the_search_window_is_not_found():
    title_rows = [[f"Title line {n}"] for n in range(12)]

    with pytest.raises(FileRejected, match="No phone column"):
        read_table(csv_bytes([*title_rows, ["Name", "Phone"], ["Asha", "9876543210"]]))
