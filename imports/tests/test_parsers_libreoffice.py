"""Files written by LibreOffice, as desktop users make them (no database).

Skipped when LibreOffice is not installed, unless REQUIRE_LIBREOFFICE=1 (then they fail).
"""

from datetime import date, datetime

import pytest

from imports.parsers import FileRejected, read_table

from .files import values_of


def read(path):
    return read_table(path.read_bytes())


def test_a_csv_saved_as_xlsx_by_libreoffice_imports_every_lead(libreoffice_files):
    table = read(libreoffice_files["leads.xlsx"])

    assert table.format == "xlsx"
    assert table.header == ["Student Name", "Mobile No", "City", "Enquiry Date", "Remarks"]
    assert values_of(table) == [
        {
            "phone_number": "+919847012345",
            "name": "Anjali Nair",
            "area": "Kochi",
            "date": date(2026, 1, 5),
            "remark": "Parent called",
        },
        {
            "phone_number": "+919895022334",
            "name": "Rohan Das",
            "area": "Thrissur",
            "date": date(2026, 2, 1),
            "remark": "",
        },
        {
            "phone_number": "+919746155667",
            "name": "Fathima Khan",
            "area": "Kozhikode",
            "date": date(2026, 1, 31),
            "remark": "Wants hostel details",
        },
    ]


def test_libreoffice_stores_typed_phones_as_numbers_and_dates_as_date_cells(libreoffice_files):
    """The file really exercises number and date cells, not text that happens to parse."""
    table = read(libreoffice_files["leads.xlsx"])

    _, cells = table.rows[0]
    assert isinstance(cells[1], float)
    assert isinstance(cells[3], date | datetime)


def test_formulas_are_read_as_their_cached_values(libreoffice_files):
    table = read(libreoffice_files["formulas.xlsx"])

    assert values_of(table) == [
        {
            "phone_number": "+919847012345",
            "name": "Anjali Nair",
            "area": "",
            "date": date(2026, 1, 5),
            "remark": "WALK-IN",
        }
    ]


def test_the_hidden_first_sheet_of_a_libreoffice_workbook_is_skipped(libreoffice_files):
    table = read(libreoffice_files["formulas.xlsx"])

    assert table.header == ["Name", "Phone", "Enquiry date", "Remark"]
    assert table.total == 1


def test_our_csv_export_opened_and_saved_by_a_spreadsheet_imports_the_same(libreoffice_files):
    table = read(libreoffice_files["exported.xlsx"])

    first, second = values_of(table)
    assert first["phone_number"] == "+919847012345"
    assert first["name"] == "=cmd|' /C calc'!A0"
    assert first["remark"] == "-5 marks short"
    assert first["date"] == date(2026, 1, 25)
    assert second["phone_number"] == "+442079460958"
    assert second["area"] == "@Thrissur"
    assert table.ignored == ["Status"]


def test_an_xls_saved_by_libreoffice_is_rejected_with_how_to_convert_it(libreoffice_files):
    with pytest.raises(FileRejected, match=r"old Excel 97-2003 \(\.xls\) workbook"):
        read(libreoffice_files["leads.xls"])


def test_a_password_protected_xlsx_is_rejected_with_how_to_remove_the_password(encrypted_xlsx):
    data = encrypted_xlsx.read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # encrypted workbooks are OLE containers

    with pytest.raises(FileRejected) as rejected:
        read_table(data)

    assert "password-protected" in str(rejected.value)
    assert "remove the password" in str(rejected.value)
