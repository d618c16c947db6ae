"""The import upload fuzzed: any bytes under any name, as CSV text in any encoding, as damaged
workbooks and zip junk, empty, binary, over the size and row limits.

Whatever is uploaded, the answer is never a server error, and either
- the file is refused on the form with the reason shown, nothing stored and no customer changed, or
- the file is stored and imported (in the request: the test task backend runs tasks at once) to
  the end: done, every row counted exactly once, as many new customers as it says.

An accepted file must never fail in the worker: the upload reads the whole file with the same
reader and limits, so a failure there would be a file the form should have refused.
"""

import io
import zipfile

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from customers.models import Customer
from imports.models import FileImport
from imports.parsers import OLE_MAGIC, ZIP_MAGIC
from imports.tests.files import xlsx_bytes, zip_bytes

from .fuzz import (
    HTMX,
    assert_errors_shown,
    client_for,
    dates_written,
    form,
    form_errors,
    fuzz,
    hostile_text,
    mobile_numbers,
    odd_dates,
    odd_phones,
    pk_value,
    value,
)

pytestmark = pytest.mark.django_db

# Small limits, so that generated files reach them.
MAX_BYTES = 64 * 1024
MAX_ROWS = 40
MAX_UNPACKED = 1024 * 1024

HEADERS = [
    ["Name", "Phone"],
    ["Student Name", "Mobile No", "City", "Enquiry Date", "Remarks"],
    ["Leads with mobile numbers"],
    ["phone", "phone", "PHONE NUMBER"],
    [],
]


def cells():
    return st.one_of(
        mobile_numbers(), odd_phones(), dates_written(), odd_dates(), hostile_text(), st.just("")
    )


@st.composite
def csv_files(draw):
    """Delimited text, written carelessly: unquoted, ragged rows, any encoding."""
    header = draw(st.one_of(st.sampled_from(HEADERS), st.lists(hostile_text(), max_size=4)))
    rows = draw(st.lists(st.lists(cells(), max_size=6), max_size=8))
    repeat = draw(st.sampled_from([1, 1, 1, 10]))  # sometimes past the row limit
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(row) for row in [header, *rows * repeat])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    return text.encode(encoding, errors="replace")


def workbook(rows):
    # openpyxl refuses control characters in cells; the XML could not hold them either.
    def printable(cell):
        return "".join(ch for ch in cell if ch.isprintable() or ch == " ")

    return xlsx_bytes([[printable(cell) for cell in row] for row in rows])


LEADS = workbook([["Name", "Phone", "Enquiry date"], ["Anjali Nair", "9847012345", "05/01/2026"]])


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose sheet unpacks to more than the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED + 1))
    return buffer.getvalue()


BOMB = zip_bomb()


@st.composite
def damaged(draw, data: bytes):
    """`data` cut short, overwritten or with bytes inserted somewhere."""
    where = draw(st.integers(0, len(data)))
    junk = draw(st.binary(min_size=1, max_size=16))
    how = draw(st.sampled_from(["cut", "overwrite", "insert"]))
    if how == "cut":
        return data[:where]
    if how == "overwrite":
        return data[:where] + junk + data[where + len(junk) :]
    return data[:where] + junk + data[where:]


def workbooks():
    rows = st.lists(st.lists(cells(), max_size=5), max_size=6)
    return st.builds(lambda header, rows: workbook([header, *rows]), st.sampled_from(HEADERS), rows)


def zip_junk():
    names = st.one_of(
        st.sampled_from(
            ["xl/workbook.xml", "[Content_Types].xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]
            + ["xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "../evil", "/etc/x"]
        ),
        st.text(min_size=1, max_size=20),
    )
    parts = st.one_of(
        st.binary(max_size=200),
        st.sampled_from(
            [
                b"<workbook/>",
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                b"<not xml",
            ]
        ),
    )
    return st.dictionaries(names, parts, max_size=5).map(zip_bytes)


def file_contents():
    return st.one_of(
        st.just(b""),
        st.binary(max_size=300),
        csv_files(),
        workbooks(),
        damaged(LEADS),
        zip_junk(),
        st.just(BOMB),
        st.builds(
            lambda magic, tail: magic + tail,
            st.sampled_from([ZIP_MAGIC, OLE_MAGIC]),
            st.binary(max_size=200),
        ),
        st.sampled_from(
            [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"Phone\x00\n98470"]
        ),
        st.builds(
            lambda n: b"Phone\n" + b"9847012345\n" * n,
            st.integers(MAX_BYTES // 11, MAX_BYTES // 10),
        ),
    )


FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "leads.csv",
            "leads.xlsx",
            "leads.xls",
            "leads.txt",
            "leads.CSV",
            "leads",
            ".csv",
            "..",
            "con.csv",
        ]
        + ["../../etc/passwd", "a/b\\c.xlsx", "lé ads 🙂.csv", "a\x00b.csv", "x" * 300 + ".csv"]
        + ["leads." + "x" * 120, "leads.csv.exe", " .xlsx"]
    ),
    st.builds(
        lambda stem, ext: stem + ext, st.text(max_size=30), st.sampled_from([".csv", ".xlsx", ""])
    ),
)


def stored_files(root):
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_MAX_UPLOAD_BYTES = MAX_BYTES
    settings.IMPORT_MAX_ROWS = MAX_ROWS
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = MAX_UNPACKED
    return settings


@fuzz(40)
@given(data=st.data())
def test_any_upload_is_refused_with_its_reason_or_imported_to_the_end(
    data, manager, counsellor, limits
):
    content = data.draw(file_contents(), label="content")
    name = data.draw(FILE_NAMES, label="name")
    upload = io.BytesIO(content)
    upload.name = name
    sent = data.draw(st.sampled_from(["file", "file", "file", "text instead", "two", "none"]))
    body = data.draw(
        form(
            assign=value(st.sampled_from(FileImport.Assign.values)),
            assign_to=pk_value(counsellor, also=[""]),
        )
    )
    if sent != "none":
        body["file"] = {
            "file": upload,
            "text instead": content.decode("latin-1")[:100],
            "two": [upload, io.BytesIO(b"Phone\n9847012345\n")],
        }[sent]
    htmx = data.draw(st.booleans())
    imports_before, customers_before = FileImport.objects.count(), Customer.objects.count()
    files_before = stored_files(limits.MEDIA_ROOT)

    response = client_for(manager).post("/imports/new/", body, **(HTMX if htmx else {}))

    assert response.status_code < 500
    imported = FileImport.objects.count() > imports_before
    event("imported" if imported else f"refused ({response.status_code})")
    if not imported:
        assert Customer.objects.count() == customers_before
        assert stored_files(limits.MEDIA_ROOT) == files_before
        if response.status_code == 200:
            errors = form_errors(response)
            assert errors or not body  # an empty post just shows the form again
            assert_errors_shown(response, errors)
        else:
            assert response.status_code == 400  # a file name Django itself refuses to store
        return
    file_import = FileImport.objects.latest("imported_at")
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{file_import.pk}/"
    assert (file_import.status, file_import.error_message) == (FileImport.Status.DONE, "")
    assert file_import.processed_rows == file_import.total_records <= MAX_ROWS
    counted = (
        file_import.created_records
        + file_import.updated_records
        + file_import.unchanged_records
        + file_import.failed_records
    )
    assert counted == file_import.total_records
    assert Customer.objects.count() - customers_before == file_import.created_records
    # The page of the finished import opens, whatever the file held.
    assert client_for(manager).get(response["Location"]).status_code == 200
    assert client_for(manager).get(response["Location"] + "errors.csv").status_code == 200
