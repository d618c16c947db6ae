"""Reading XLSX workbooks made with openpyxl: cell types, sheets, positions (no database)."""

import io
from datetime import date

from openpyxl import Workbook

from imports.parsers import read_table

from .files import errors_of, values_of, xlsx_bytes


def test_a_workbook_is_detected_by_its_content_not_its_name():
    table = read_table(xlsx_bytes([["Name", "Phone"], ["Asha", "9876543210"]]))

    assert table.format == "xlsx"
    assert values_of(table)[0]["phone_number"] == "+919876543210"


def test_phone_number_cells_text_cells_and_float_text_all_normalize():
    rows = [
        ["Phone", "Name"],
        [9876543210, "number cell"],
        [9876543211.0, "float cell"],
        ["+91 98765 43212", "text cell"],
        ["9876543213.0", "float as text"],
    ]

    table = read_table(xlsx_bytes(rows))

    assert [v["phone_number"] for v in values_of(table)] == [
        "+919876543210",
        "+919876543211",
        "+919876543212",
        "+919876543213",
    ]


def test_a_phone_shortened_to_scientific_notation_fails_its_row():
    table = read_table(xlsx_bytes([["Phone"], ["9.87654E+09"], [9876543210]]))

    ((number, error),) = errors_of(table)
    assert number == 2
    assert "shortened by Excel" in error.reason


def test_the_first_visible_sheet_is_read_when_the_first_sheet_is_hidden():
    lookup = [["Phone", "Name"], ["9000000001", "Not a lead"]]
    leads = [["Phone", "Name"], ["9876543210", "Asha"]]

    table = read_table(xlsx_bytes(lookup, leads, hidden={0}))

    assert [v["name"] for v in values_of(table)] == ["Asha"]


def test_a_very_hidden_first_sheet_is_skipped_too():
    workbook = Workbook()
    workbook.active.append(["Phone"])
    workbook.active.append(["9000000001"])
    workbook.active.sheet_state = "veryHidden"
    leads = workbook.create_sheet("Leads")
    leads.append(["Phone"])
    leads.append(["9876543210"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue())

    assert [v["phone_number"] for v in values_of(table)] == ["+919876543210"]


def test_only_the_first_visible_sheet_is_read():
    first = [["Phone", "Name"], ["9876543210", "Asha"]]
    second = [["Phone", "Name"], ["9876543211", "Ravi"]]

    table = read_table(xlsx_bytes(first, second))

    assert [v["name"] for v in values_of(table)] == ["Asha"]


def test_row_numbers_are_the_spreadsheet_rows_when_the_table_starts_lower_down():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Leads from the education fair"
    sheet["C3"], sheet["D3"] = "Mobile", "Name"
    sheet["C5"], sheet["D5"] = "9876543210", "Asha"
    sheet["C6"], sheet["D6"] = "not a phone", "Ravi"
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue())

    assert table.header_row == 3
    assert [number for number, _ in table.rows] == [5, 6]
    assert values_of(table)[0]["name"] == "Asha"
    assert [number for number, _ in errors_of(table)] == [6]


def test_blank_rows_between_leads_are_skipped_and_not_counted():
    rows = [
        ["Phone", "Name"],
        ["9876543210", "Asha"],
        [None, None],
        ["", " "],
        ["9876543211", "Ravi"],
    ]

    table = read_table(xlsx_bytes(rows))

    assert table.total == 2
    assert [number for number, _ in table.rows] == [2, 5]


def test_date_number_and_text_cells_in_other_columns_read_as_text():
    rows = [
        ["Phone", "Name", "Area", "Remark", "Enquiry Date"],
        ["9876543210", "Asha", 682001, 12.5, date(2026, 1, 5)],
    ]

    (values,) = values_of(read_table(xlsx_bytes(rows)))

    assert values["area"] == "682001"
    assert values["remark"] == "12.5"
    assert values["date"] == date(2026, 1, 5)


def test_neutralized_text_in_a_workbook_comes_back_without_the_apostrophe():
    rows = [["Phone", "Name"], ["9876543210", "'=1+1"]]

    (values,) = values_of(read_table(xlsx_bytes(rows)))

    assert values["name"] == "=1+1"
