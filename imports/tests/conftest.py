"""Fixtures for the import tests: private media storage, imports, LibreOffice-written files."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from imports.models import FileImport
from imports.services import run_import

from .files import csv_bytes, libreoffice_or_skip, uno_or_skip, xlsx_bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to this test's own folder, not a media folder other runs share."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def queue_import(manager):
    """Store an uploaded file as a queued import, the way the upload page does."""

    def queue(data: bytes, name="leads.csv", **fields) -> FileImport:
        return FileImport.objects.create(
            file=ContentFile(data, name=name),
            file_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=fields.pop("imported_by", manager),
            **fields,
        )

    return queue


@pytest.fixture
def import_file(queue_import):
    """Run a whole import in this process, as the background worker does, and reload it."""

    def run(data: bytes, name="leads.csv", **fields) -> FileImport:
        file_import = queue_import(data, name, **fields)
        assert file_import.claim()
        run_import(file_import)
        file_import.refresh_from_db()
        return file_import

    return run


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    return libreoffice_or_skip(tmp_path_factory.mktemp("libreoffice"))


LEADS_CSV = [
    ["Student Name", "Mobile No", "City", "Enquiry Date", "Remarks"],
    ["Anjali Nair", "9847012345", "Kochi", "2026-01-05", "Parent called"],
    ["Rohan Das", "+91 98950 22334", "Thrissur", "2026-02-01", ""],
    ["Fathima Khan", "9746155667", "Kozhikode", "2026-01-31", "Wants hostel details"],
]

EXPORTED_CSV = [
    ["Name", "Phone", "Area", "Enquiry date", "Remark", "Status"],
    ["'=cmd|' /C calc'!A0", '="+919847012345"', "Kochi", "25/01/2026", "'-5 marks short", "New"],
    ["Rohan Das", '="+442079460958"', "'@Thrissur", "", "", "Follow Up"],
]


@pytest.fixture(scope="session")
def libreoffice_files(libreoffice, tmp_path_factory):
    """Workbooks written by LibreOffice, made once per test session.

    - leads.xlsx: a CSV opened and saved by LibreOffice (phones become number cells, ISO dates
      become date cells, as when someone opens a portal's CSV and saves it as Excel);
    - formulas.xlsx: an openpyxl workbook with formulas and a hidden first sheet, recalculated
      and saved by LibreOffice so the formulas carry cached values;
    - exported.xlsx: a CSV in our export's format (phones as ="+91...", neutralized text)
      opened and saved by LibreOffice;
    - leads.xls: the leads CSV saved as Excel 97-2003.
    """
    source = tmp_path_factory.mktemp("libreoffice-sources")
    (source / "leads.csv").write_bytes(csv_bytes(LEADS_CSV))
    (source / "exported.csv").write_bytes(csv_bytes(EXPORTED_CSV))
    (source / "formulas.xlsx").write_bytes(formula_workbook())
    out = tmp_path_factory.mktemp("libreoffice-out")
    sources = [source / "leads.csv", source / "exported.csv", source / "formulas.xlsx"]
    leads, exported, formulas = libreoffice.convert(sources, "xlsx", out / "xlsx")
    (xls,) = libreoffice.convert([source / "leads.csv"], "xls", out / "xls")
    return {
        "leads.xlsx": leads,
        "exported.xlsx": exported,
        "formulas.xlsx": formulas,
        "leads.xls": xls,
    }


@pytest.fixture(scope="session")
def encrypted_xlsx(libreoffice, libreoffice_files, tmp_path_factory):
    """A real password-protected XLSX saved by LibreOffice (password "secret")."""
    uno_or_skip()
    target = tmp_path_factory.mktemp("libreoffice-encrypted") / "protected.xlsx"
    return libreoffice.save_encrypted(libreoffice_files["leads.xlsx"], target, "secret")


def formula_workbook() -> bytes:
    hidden = [["Lookup", "Values"], ["Not these", "rows"]]
    leads = [
        ["Name", "Phone", "Enquiry date", "Remark"],
        ['="Anjali"&" "&"Nair"', "=9847012344+1", "=DATE(2026,1,5)", '=UPPER("walk-in")'],
    ]
    return xlsx_bytes(hidden, leads, hidden={0})
