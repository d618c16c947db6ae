"""Workbook XML is checked with defusedxml; title rows above the header are skipped. No DB."""

import pytest

from imports.parsers import FileRejected, read_table

from .files import csv_bytes, replace_in_workbook, xlsx_bytes

BOMB = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'


def workbook():
    return xlsx_bytes([["Name", "Mobile"], ["Asha", "9876543210"]])


@pytest.mark.parametrize("part", [b"<workbook", b"<worksheet"])
def test_a_document_type_declaration_in_the_workbook_xml_is_refused(part):
    hostile = replace_in_workbook(workbook(), part, BOMB + part)

    with pytest.raises(FileRejected, match="XML declarations that spreadsheets never write"):
        read_table(hostile)


def test_an_ordinary_workbook_passes_the_xml_check():
    assert read_table(workbook()).total == 1


def test_a_one_cell_title_mentioning_mobile_is_not_taken_for_the_header():
    data = csv_bytes([["Leads with mobile numbers"], ["Name", "Mobile No"], ["Asha", "9876543210"]])

    table = read_table(data)

    assert (table.header_row, table.total) == (2, 1)


def test_a_lone_phone_column_header_is_still_a_header():
    table = read_table(csv_bytes([["Phone"], ["9876543210"], ["9876543211"]]))

    assert (table.header_row, table.total) == (1, 2)
