"""Files that cannot be imported at all are refused with a message for the user (no database)."""

import io
import struct
import zipfile
import zlib

import pytest

from imports.parsers import FileRejected, Limits, read_table

from .files import csv_bytes, xlsx_bytes, zip_bytes

NOT_CSV_OR_XLSX = "not a CSV or Excel (.xlsx) file"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def rejection(data, limits=None) -> str:
    with pytest.raises(FileRejected) as rejected:
        read_table(data, limits or Limits())
    return str(rejected.value)


def png_bytes() -> bytes:
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes(*, compressed=True) -> bytes:
    """A one-page PDF as PDF writers make it: a binary marker line and a page stream."""
    content = b"BT /F1 12 Tf 72 712 Td (Enquiry list) Tj ET"
    stream = zlib.compress(content) if compressed else content
    flate = b" /Filter /FlateDecode" if compressed else b""
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length "
        + str(len(stream)).encode()
        + flate
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def ole_bytes(stream_names: list[str]) -> bytes:
    """The start of an OLE compound file with a directory sector naming these streams."""
    header = OLE_MAGIC + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + b"\x00" * 458
    directory = b""
    for name in ["Root Entry", *stream_names]:
        encoded = (name + "\x00").encode("utf-16-le")
        entry = encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded)) + b"\x02"
        directory += entry.ljust(128, b"\x00")
    return header + directory.ljust(512, b"\x00")


def test_an_empty_file_is_rejected():
    assert rejection(b"") == "The file is empty."


@pytest.mark.parametrize(
    "data", [b"   ", b"\n\n\n", b" \r\n\t\r\n", b",,,\n,,\n", "\ufeff\n".encode()]
)
def test_a_file_of_only_whitespace_is_rejected_as_empty(data):
    assert rejection(data) == "The file is empty: it has no rows."


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Phone,City\n",
        b"Name,Phone,City\n\n,,\n",
        b"Leads export\n\nName,Phone\n",
    ],
)
def test_a_header_without_data_rows_is_rejected(data):
    assert rejection(data) == "The file has a header row but no data rows under it."


def test_an_xlsx_with_only_a_header_is_rejected():
    data = xlsx_bytes([["Name", "Phone"], [None, None]])

    assert rejection(data) == "The file has a header row but no data rows under it."


def test_png_bytes_are_not_a_spreadsheet():
    assert NOT_CSV_OR_XLSX in rejection(png_bytes())


def test_pdf_bytes_are_not_a_spreadsheet():
    assert NOT_CSV_OR_XLSX in rejection(pdf_bytes())


def test_a_pdf_without_binary_streams_is_also_recognised_as_not_a_spreadsheet():
    # An uncompressed PDF is plain ASCII: without looking at the "%PDF-" signature the user is
    # told that no phone column was found, which sends them looking in the wrong place.
    assert NOT_CSV_OR_XLSX in rejection(pdf_bytes(compressed=False))


def test_random_binary_with_nul_bytes_is_not_a_spreadsheet():
    data = bytes(range(256)) * 4

    assert NOT_CSV_OR_XLSX in rejection(data)


def test_an_old_xls_workbook_is_rejected_with_how_to_convert_it():
    message = rejection(ole_bytes(["Workbook", "\x05SummaryInformation"]))

    assert "old Excel 97-2003 (.xls)" in message
    assert "save it as .xlsx or CSV" in message


def test_an_encrypted_workbook_is_rejected_as_password_protected():
    # A stand-in for Excel's "Encrypt with Password" container; the real one that LibreOffice
    # writes is tested in test_parsers_libreoffice.py.
    message = rejection(ole_bytes(["EncryptionInfo", "EncryptedPackage"]))

    assert "password-protected" in message
    assert "remove the password" in message


def test_a_truncated_xlsx_is_rejected_as_damaged():
    data = xlsx_bytes([["Name", "Phone"], ["Asha", "9876543210"]])

    assert "may be damaged" in rejection(data[: len(data) // 2])


def test_zip_magic_followed_by_garbage_is_rejected_as_damaged():
    assert "may be damaged" in rejection(b"PK\x03\x04" + b"\x13\x37" * 500)


def test_a_workbook_with_corrupt_sheet_xml_is_rejected_as_damaged():
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Phone"], ["9876543210"]])))
    parts = {name: workbook.read(name) for name in workbook.namelist()}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c r="

    assert "may be damaged" in rejection(zip_bytes(parts))


def test_a_zip_that_is_not_a_workbook_is_rejected():
    data = zip_bytes({"leads.csv": b"Name,Phone\nAsha,9876543210\n", "readme.txt": b"hello"})

    assert "zip file but not an Excel workbook" in rejection(data)


def test_a_workbook_with_too_many_zip_entries_is_rejected():
    data = xlsx_bytes([["Phone"], ["9876543210"]])
    entries = len(zipfile.ZipFile(io.BytesIO(data)).infolist())

    message = rejection(data, Limits(max_xlsx_entries=entries - 1))

    assert f"contains {entries} parts" in message
    assert "not a normal spreadsheet" in message


def test_a_workbook_that_unpacks_too_large_is_rejected_before_it_is_parsed():
    # 5 MB of zeros compresses to a few kB. The XML is not even valid: a parser would call the
    # file damaged, so the size message proves the check runs before any parsing.
    bomb = zip_bytes({"xl/workbook.xml": b"\x00" * 5_000_000, "[Content_Types].xml": b"<x/>"})
    assert len(bomb) < 20_000

    message = rejection(bomb, Limits(max_xlsx_uncompressed_bytes=1024 * 1024))

    assert "unpacks to 5 MB" in message
    assert "the limit is 1 MB" in message


def test_zip_entry_count_is_checked_before_parsing():
    bomb = zip_bytes({"xl/workbook.xml": b"not xml", **{f"x/{n}": b"" for n in range(50)}})

    assert "contains 51 parts" in rejection(bomb, Limits(max_xlsx_entries=10))


def test_a_normal_workbook_fits_the_default_zip_limits():
    table = read_table(xlsx_bytes([["Phone"], ["9876543210"]]))

    assert table.total == 1


def test_a_file_over_the_size_limit_is_rejected():
    data = csv_bytes([["Name", "Phone"], *[["Asha", "9876543210"]] * 100])

    message = rejection(data, Limits(max_bytes=len(data) - 1))

    assert "the limit is" in message
    assert "Split it into smaller files" in message


def test_a_file_at_the_size_limit_is_read():
    data = csv_bytes([["Name", "Phone"], ["Asha", "9876543210"]])

    assert read_table(data, Limits(max_bytes=len(data))).total == 1


def test_too_many_rows_are_rejected():
    data = csv_bytes([["Phone"], *[[f"98765432{n:02d}"] for n in range(4)]])

    message = rejection(data, Limits(max_rows=3))

    assert message == "The file has more than 3 rows; the limit is 3. Split it into smaller files."


def test_too_many_rows_in_an_xlsx_are_rejected():
    data = xlsx_bytes([["Phone"], *[[f"98765432{n:02d}"] for n in range(4)]])

    assert "more than 3 rows" in rejection(data, Limits(max_rows=3))


def test_rows_up_to_the_limit_are_read_and_blank_rows_do_not_count():
    data = csv_bytes([["Phone"], ["9876543200"], [""], ["9876543201"], [""], ["9876543202"]])

    assert read_table(data, Limits(max_rows=3)).total == 3


def test_a_workbook_with_a_damaged_zip_directory_is_rejected_as_damaged():
    # Bytes 6-7 of a central directory record say which zip version is needed to extract the
    # entry; damage there makes Python's zipfile raise NotImplementedError, not BadZipFile.
    data = bytearray(xlsx_bytes([["Name", "Phone"], ["Asha", "9876543210"]]))
    record = data.index(b"PK\x01\x02")
    data[record + 6 : record + 8] = struct.pack("<H", 231)

    assert "may be damaged" in rejection(bytes(data))


def test_a_cell_over_the_csv_field_limit_is_rejected_not_a_crash():
    data = b"phone,name\n9876543210," + b"x" * 200_000 + b"\n"

    with pytest.raises(FileRejected, match="cannot be read"):
        read_table(data)
