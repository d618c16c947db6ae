"""Lead files made at test time: CSV text in any encoding, XLSX from openpyxl or LibreOffice.

Nothing binary is committed: every workbook is written by the program that users' files come
from (openpyxl stands in for Google Sheets and scripts, LibreOffice for desktop spreadsheets).
"""

import csv
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from imports.parsers import Table, clean_row

HERE = Path(__file__).resolve().parent
# The UNO bridge is importable only from the system Python that LibreOffice ships with.
SYSTEM_PYTHON = "/usr/bin/python3"


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(*sheets, hidden=()) -> bytes:
    """A workbook with one sheet per list of rows; sheet numbers in `hidden` are hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"Sheet{number + 1}")
        for row in rows:
            sheet.append(row)
        if number in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def replace_in_workbook(data: bytes, old: bytes, new: bytes) -> bytes:
    """Edit the XML inside a workbook, for cell content openpyxl refuses to write."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    assert any(old in part for part in parts.values()), f"{old!r} is not in the workbook"
    return zip_bytes({name: part.replace(old, new) for name, part in parts.items()})


def cleaned(table: Table) -> list:
    """Each data row as (row number, values or None, error or None)."""
    return [(number, *clean_row(cells, table.columns)) for number, cells in table.rows]


def values_of(table: Table) -> list[dict]:
    """The clean values of every row that is imported (warned rows too)."""
    return [values for _, values, _ in cleaned(table) if values is not None]


def errors_of(table: Table) -> list:
    return [(number, error) for number, _, error in cleaned(table) if error is not None]


class LibreOffice:
    """Run LibreOffice headless with a private profile (other test runs may use it too)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.profile = (folder / "profile").as_uri()

    def convert(self, sources: list[Path], target: str, outdir: Path) -> list[Path]:
        """`libreoffice --headless --convert-to TARGET` on several files in one launch."""
        outdir.mkdir(parents=True, exist_ok=True)
        command = [
            "libreoffice",
            f"-env:UserInstallation={self.profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        extension = target.split(":")[0]
        converted = [outdir / f"{source.stem}.{extension}" for source in sources]
        missing = [str(path) for path in converted if not path.exists()]
        assert not missing, f"LibreOffice did not write {missing}"
        return converted

    def save_encrypted(self, source: Path, target: Path, password: str) -> Path:
        """Save `source` as an XLSX that needs `password` to open (via the UNO bridge)."""
        script = HERE / "uno_encrypt.py"
        subprocess.run(
            [SYSTEM_PYTHON, str(script), str(source), str(target), password, self.profile],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target


def skip_unless_required(reason: str):
    """Skip, or fail when REQUIRE_LIBREOFFICE=1 says these tests must run (as in CI)."""
    if os.environ.get("REQUIRE_LIBREOFFICE", "").lower() in {"1", "true", "yes", "on"}:
        pytest.fail(reason + " and REQUIRE_LIBREOFFICE=1 is set")
    pytest.skip(reason)


def libreoffice_or_skip(folder: Path) -> LibreOffice:
    if shutil.which("libreoffice") is None:
        skip_unless_required(
            "LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)"
        )
    return LibreOffice(folder)


def uno_or_skip():
    if Path(SYSTEM_PYTHON).exists():
        probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
        if probe.returncode == 0:
            return
    skip_unless_required(
        "python3-uno is not installed, so LibreOffice cannot be scripted to save a "
        "password-protected workbook (apt-get install -y python3-uno)"
    )
