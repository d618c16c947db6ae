"""Customer lists out as CSV or XLSX, safe to open in a spreadsheet and to import again."""

import csv
import re
import tempfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

HEADER = [
    "Name",
    "Phone",
    "Area",
    "Enquiry date",
    "Remark",
    "Status",
    "Counsellor",
    "Internal notes",
    "Added on",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
E164 = re.compile(r"^\+\d{8,15}$")
CHUNK_SIZE = 2000


def export_rows(customers):
    """One list of cells per customer, in HEADER order."""
    for customer in customers.iterator(chunk_size=CHUNK_SIZE):
        yield [
            customer.name,
            customer.phone_number,
            customer.area,
            customer.date,
            customer.remark,
            customer.get_status_display(),
            customer.assigned_to.display_name if customer.assigned_to else "",
            customer.notes,
            customer.created_at,
        ]


def neutralize(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (the import undoes this)."""
    return "'" + text if text.startswith(FORMULA_START) else text


class Echo:
    def write(self, value):
        return value


def csv_lines(customers):
    writer = csv.writer(Echo())
    yield "\ufeff"  # a BOM, so Excel reads the file as UTF-8
    yield writer.writerow(HEADER)
    for cells in export_rows(customers):
        yield writer.writerow([csv_cell(index, value) for index, value in enumerate(cells)])


def csv_cell(index: int, value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "day"):
        return value.strftime("%d/%m/%Y")
    if index == 1 and E164.match(value):
        return f'="{value}"'  # shown as text, not as a number in scientific notation
    return neutralize(str(value))


def xlsx_file(customers):
    """A temporary XLSX file (written row by row, so memory stays flat) positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Customers")
    sheet.append(HEADER)
    for cells in export_rows(customers):
        sheet.append([xlsx_cell(sheet, value) for value in cells])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_cell(sheet, value):
    if isinstance(value, str):
        # XML cannot hold control characters (a vertical tab pasted from Word, say): the Excel
        # file leaves them out, the CSV export keeps them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, even when it starts with "="
    elif hasattr(value, "hour"):
        cell.value = timezone.localtime(value).replace(tzinfo=None)
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif value is not None:
        cell.number_format = "DD/MM/YYYY"
    return cell
