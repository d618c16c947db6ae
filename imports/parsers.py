"""Read lead files (CSV and XLSX) into clean customer rows, without touching the database.

Everything here takes bytes in and gives rows and reasons out, so it is tested on bytes alone.
A file that cannot be read at all raises `FileRejected` with a message meant for the user; a row
that cannot be read comes back with a `RowError` saying which column and why.
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import phonenumbers
import python_calamine
from defusedxml import ElementTree as defused_et
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

FIELDS = ("phone_number", "name", "area", "date", "remark")
MAX_LENGTHS = {"name": 200, "area": 120}
LABELS = {
    "phone_number": "Phone",
    "name": "Name",
    "area": "Area",
    "date": "Enquiry date",
    "remark": "Remark",
}

# Header names after `header_key` (lower case, letters and digits only).
ALIASES = {
    "phone_number": {
        "phonenumber",
        "phone",
        "phoneno",
        "phonenum",
        "mobile",
        "mobileno",
        "mobilenumber",
        "mobilenum",
        "mob",
        "mobno",
        "cell",
        "cellno",
        "cellphone",
        "contact",
        "contactno",
        "contactnumber",
        "contactnum",
        "whatsapp",
        "whatsappno",
        "whatsappnumber",
        "telephone",
        "tel",
        "studentphone",
        "studentmobile",
        "primaryphone",
        "primarymobile",
        "number",
    },
    "name": {
        "name",
        "studentname",
        "fullname",
        "candidatename",
        "leadname",
        "customername",
        "firstname",
        "student",
        "candidate",
        "applicantname",
        "nameofstudent",
    },
    "area": {
        "area",
        "location",
        "city",
        "place",
        "town",
        "district",
        "locality",
        "region",
        "address",
        "state",
    },
    "date": {
        "date",
        "enquirydate",
        "enquiry",
        "inquirydate",
        "leaddate",
        "createddate",
        "createdon",
        "createdat",
        "dateofenquiry",
        "dateofinquiry",
        "submittedon",
        "submissiondate",
    },
    "remark": {
        "remark",
        "remarks",
        "comment",
        "comments",
        "note",
        "description",
        "feedback",
        "message",
        "query",
    },
}
ALIAS_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# Looser matches for the one required column: "Parent Mobile No.", "WhatsApp Number (India)".
PHONE_WORDS = ("phone", "mobile", "whatsapp", "contactno", "contactnumber")

HEADER_SEARCH_ROWS = 10
CSV_DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
# What reading a damaged zip can raise, from the zip directory down to zlib.
DAMAGED_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    NotImplementedError,
    # A part flagged as encrypted: "password required for extraction" (found by `make fuzz`).
    RuntimeError,
)
SMALL_XML_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "_rels/.rels",
    "xl/_rels/workbook.xml.rels",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials from 1930 to 2100: anything else is not a plausible enquiry date.
SERIAL_RANGE = (10_959, 73_415)
DATE_FORMATS = (
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d.%m.%y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d-%b-%y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)
NEUTRALIZED = re.compile(r"^'([=+\-@\t\r].*)$", re.DOTALL)
TEXT_FORMULA = re.compile(r'^="(.*)"$')
EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
NON_DIGITS = re.compile(r"[^0-9]")  # ASCII only: other scripts' digits go to phonenumbers
EVERYDAY_PHONE = re.compile(r"[0-9\s()+\-./]+")
SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


class FileRejected(Exception):
    """The whole file cannot be imported; the message tells the user what to do."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_xlsx_uncompressed_bytes: int = 250 * 1024 * 1024
    max_xlsx_entries: int = 1_000


@dataclass
class Table:
    """A readable file: where each field is, what was ignored, and its data rows."""

    format: str
    header: list[str]
    header_row: int
    columns: dict[str, int]
    ignored: list[str]
    rows: list[tuple[int, list]] = field(repr=False)

    @property
    def total(self) -> int:
        return len(self.rows)

    def label(self, name: str) -> str:
        """The file's own header for a field (what the user will recognise)."""
        return self.header[self.columns[name]] or LABELS[name]


@dataclass(frozen=True)
class RowError:
    field: str
    value: str
    reason: str
    # A warning: the row is imported all the same, without the value it names.
    warning: bool = False


# ---------------------------------------------------------------------------------------------
# Whole files


def read_table(data: bytes, limits: Limits = Limits()) -> Table:
    """Detect the format by content, find the header, and return every non-blank data row."""
    if not data:
        raise FileRejected("The file is empty.")
    if len(data) > limits.max_bytes:
        raise FileRejected(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{limits.max_bytes / 1024 / 1024:.0f} MB. Split it into smaller files."
        )
    if data.startswith(ZIP_MAGIC):
        fmt, raw_rows = "xlsx", read_xlsx_rows(data, limits)
    elif data.startswith(OLE_MAGIC):
        raise FileRejected(ole_message(data))
    elif kind := next((k for magic, k in SIGNATURES.items() if data.startswith(magic)), None):
        raise FileRejected(
            f"This is {kind}, not a CSV or Excel (.xlsx) file. Export the leads as CSV or XLSX "
            "and upload that."
        )
    else:
        fmt, raw_rows = "csv", read_csv_rows(data)
    return build_table(fmt, raw_rows, limits)


def build_table(fmt: str, raw_rows: Iterator[list], limits: Limits) -> Table:
    header, header_row, columns, ignored, first_labels = None, 0, {}, [], None
    rows = []
    for number, cells in enumerate(raw_rows, start=1):
        if is_blank(cells):
            continue
        if header is None:
            # The header is the first row naming a phone column (title rows above it are skipped).
            columns, ignored = match_columns(cells)
            labels = [cell_text(c) for c in cells if cell_text(c)]
            if first_labels is None:
                first_labels = labels
            # A lone cell ("Leads with mobile numbers") is a title, unless it is exactly "Phone".
            phone = columns.get("phone_number")
            exact = phone is not None and header_key(cells[phone]) in ALIASES["phone_number"]
            if phone is not None and (len(labels) > 1 or exact):
                header, header_row = [cell_text(c) for c in cells], number
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        rows.append((number, cells))
        if len(rows) > limits.max_rows:
            raise FileRejected(
                f"The file has more than {limits.max_rows:,} rows; the limit is "
                f"{limits.max_rows:,}. Split it into smaller files."
            )
    if header is None:
        if first_labels is None:
            raise FileRejected("The file is empty: it has no rows.")
        raise FileRejected(
            "No phone column was found. Name the column with the phone numbers “Phone” or "
            "“Mobile” (other names that work: Phone Number, Mobile No, Contact Number, "
            "WhatsApp). The first row read was: " + ", ".join(first_labels) + "."
        )
    if not rows:
        raise FileRejected("The file has a header row but no data rows under it.")
    return Table(fmt, header, header_row, columns, ignored, rows)


def header_key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", cell_text(text).lower())


def match_columns(cells: list) -> tuple[dict[str, int], list[str]]:
    """Map fields to column positions; the first column wins, later look-alikes are ignored."""
    columns, ignored = {}, []
    for index, cell in enumerate(cells):
        label = cell_text(cell)
        key = header_key(label)
        name = ALIAS_TO_FIELD.get(key)
        if name is None and any(word in key for word in PHONE_WORDS):
            name = "phone_number"
        if name and name not in columns:
            columns[name] = index
        elif label:
            ignored.append(label)
    return columns, ignored


def is_blank(cells: list) -> bool:
    return all(
        c is None or (c.strip() == "" if type(c) is str else cell_text(c) == "") for c in cells
    )


# ---------------------------------------------------------------------------------------------
# CSV


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected(
                "The file says it is UTF-16 text but cannot be read as such."
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if "\x00" in text:
        raise FileRejected(
            "This is not a CSV or Excel (.xlsx) file. Export the leads as CSV or XLSX and "
            "upload that."
        )
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (comma when unsure)."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    best, best_score = ",", 0
    for delimiter in CSV_DELIMITERS:
        try:
            counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        except csv.Error:  # e.g. a cell over the csv module's field size limit
            continue
        score = max(counts, default=1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_rows(data: bytes) -> Iterator[list]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        yield from reader
    except csv.Error as error:
        message = f"The CSV file cannot be read after line {reader.line_num}: {error}."
        raise FileRejected(message) from None


# ---------------------------------------------------------------------------------------------
# XLSX


def ole_message(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data[:65536] or b"EncryptedPackage" in data:
        return (
            "The workbook is password-protected. Open it in Excel, remove the password "
            "(File › Info › Protect Workbook), save it and upload it again."
        )
    return (
        "This is an old Excel 97-2003 (.xls) workbook. Open it in Excel or LibreOffice, save it "
        "as .xlsx or CSV, and upload that."
    )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs before any parser sees the content."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except DAMAGED_ZIP_ERRORS:
        raise FileRejected(damaged_message()) from None
    if len(entries) > limits.max_xlsx_entries:
        raise FileRejected(
            f"The workbook contains {len(entries):,} parts (the limit is "
            f"{limits.max_xlsx_entries:,}); it is not a normal spreadsheet."
        )
    uncompressed = sum(entry.file_size for entry in entries)
    if uncompressed > limits.max_xlsx_uncompressed_bytes:
        raise FileRejected(
            f"The workbook unpacks to {uncompressed / 1024 / 1024:.0f} MB (the limit is "
            f"{limits.max_xlsx_uncompressed_bytes / 1024 / 1024:.0f} MB). Split it into smaller "
            "files or save it as CSV."
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise FileRejected(
            "This is a zip file but not an Excel workbook (.xlsx). Upload a CSV or XLSX file."
        )
    check_xml(archive, entries)


def check_xml(archive: zipfile.ZipFile, entries) -> None:
    """Refuse XML tricks (entity expansion, external entities) before the reader sees them.

    The workbook's small parts are parsed whole by defusedxml; for the big ones (sheets, shared
    strings) the head is enough, since a document type declaration must come first.
    """
    try:
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(entry) as part:
                if entry.filename in SMALL_XML_PARTS:
                    defused_et.fromstring(part.read())
                elif b"<!DOCTYPE" in part.read(4096).upper():
                    raise DTDForbidden(None, None, None)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise FileRejected(
            "The workbook contains XML declarations that spreadsheets never write (a possible "
            "attack), so it was not opened. Save it again from Excel or LibreOffice."
        ) from None
    except (defused_et.ParseError, *DAMAGED_ZIP_ERRORS):
        raise FileRejected(damaged_message()) from None


def damaged_message() -> str:
    return (
        "The file looks like an Excel workbook but cannot be read: it may be damaged. Open it "
        "in Excel or LibreOffice, save it again as .xlsx, and upload the new file."
    )


def read_xlsx_rows(data: bytes, limits: Limits) -> Iterator[list]:
    """Rows of the first visible worksheet, with formulas as their cached values."""
    check_zip(data, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if sheet.visible == python_calamine.SheetVisibleEnum.Visible
            and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not visible:
            raise FileRejected("The workbook has no visible worksheet.")
        sheet = workbook.get_sheet_by_name(visible[0])
        rows = sheet.to_python(skip_empty_area=False)
    except FileRejected:
        raise
    except python_calamine.PasswordError:
        raise FileRejected(ole_message(b"EncryptedPackage")) from None
    except (python_calamine.CalamineError, ValueError, OSError, NotImplementedError):
        raise FileRejected(damaged_message()) from None
    return iter(rows)


# ---------------------------------------------------------------------------------------------
# Cells


def cell_text(value) -> str:
    """A cell as the text a person would read in it."""
    if type(value) is str:  # the common case first: every CSV cell
        text = value.strip()
        if "\x00" in text:  # XLSX can smuggle NULs (_x0000_); no database column takes them
            text = text.replace("\x00", "").strip()
        if text[:1] == "'":
            neutralized = NEUTRALIZED.match(text)
            return neutralized.group(1) if neutralized else text
        return text
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S" if value.time() else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\x00", "").strip()


def is_valid_indian_mobile(national: str) -> bool:
    """phonenumbers' own validity for a 10-digit Indian number starting 6-9.

    In the pinned metadata, validity of these numbers depends on their first five digits only
    (checked for every prefix when this was written; tests compare with phonenumbers on random
    numbers), so the answer is cached per prefix: 40,000 entries at most.
    """
    return _valid_prefix(national[:5])


@lru_cache(maxsize=40_000)
def _valid_prefix(prefix: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=91, national_number=int(prefix + "00000"))
    return phonenumbers.is_valid_number(number)


def everyday_indian_mobile(text: str) -> str | None:
    """The 10 national digits of `98765 43210`, `098765-43210`, `91 98765 43210` or
    `+91 98765 43210`; None for anything else (phonenumbers then decides)."""
    if not EVERYDAY_PHONE.fullmatch(text):
        return None
    digits = NON_DIGITS.sub("", text)
    if len(digits) == 12 and digits.startswith("91") and digits[2] in "6789":
        return digits[2:]
    if text.startswith("+"):
        return None
    if len(digits) == 10 and digits[0] in "6789":
        return digits
    if len(digits) == 11 and digits[0] == "0" and digits[1] in "6789":
        return digits[1:]
    return None


def parse_phone(value) -> str:
    """E.164 for any everyday way of writing an Indian (or international) number."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"“{value}” is not a phone number.")
        value = int(value)
    text = cell_text(value)
    formula = TEXT_FORMULA.match(text)
    if formula:
        text = formula.group(1)
    if SCIENTIFIC.match(text):
        raise ValueError(
            f"“{text}” was shortened by Excel and its digits are lost. Format the column as "
            "Text in the spreadsheet, type the full number and export again."
        )
    float_match = EXCEL_FLOAT.match(text)
    if float_match:
        text = float_match.group(1)
    if not text:
        raise ValueError("The phone number is missing.")
    # Fast path for the everyday Indian forms; everything else goes through phonenumbers.
    national = everyday_indian_mobile(text)
    if national:
        if is_valid_indian_mobile(national):
            return "+91" + national
        raise ValueError(f"“{text}” is not a valid phone number.")
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        raise ValueError(f"“{text}” is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"“{text}” is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)
def parse_date_text(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return serial_date(float(text), text)
    raise ValueError(f"“{text}” is not a date. Write dates as DD/MM/YYYY, e.g. 31/01/2026.")


def serial_date(serial: float, shown) -> date:
    if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise ValueError(f"“{shown}” is not a date. Write dates as DD/MM/YYYY, e.g. 31/01/2026.")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return serial_date(float(value), cell_text(value))
    text = cell_text(value)
    return parse_date_text(text) if text else None


def clean_row(cells: list, columns: dict[str, int]) -> tuple[dict | None, RowError | None]:
    """The customer values of one data row, or the first reason it cannot be imported.

    A row with a good phone and an unreadable date is kept, without the date: it comes back
    with its values and a warning (`RowError.warning`) to show beside the import.
    """

    def raw(name):
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    values, warning = {}, None
    try:
        values["phone_number"] = parse_phone(raw("phone_number"))
    except ValueError as error:
        return None, RowError("phone_number", cell_text(raw("phone_number")), str(error))
    try:
        values["date"] = parse_date(raw("date"))
    except ValueError as error:
        values["date"] = None
        reason = f"{error} The row was imported without the date."
        warning = RowError("date", cell_text(raw("date")), reason, warning=True)
    for name in ("name", "area", "remark"):
        text = cell_text(raw(name))
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            return None, RowError(
                name, text[:50] + "…", f"{LABELS[name]} is longer than {limit} characters."
            )
        values[name] = text
    return values, warning
