"""A manager imports a messy workbook through the real background worker, watches it finish,
fixes a row from the error report, imports that again and finds the lead in the customer list."""

import csv
import re
import shutil
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from customers.factories import CustomerFactory
from customers.models import Customer
from imports.services import BATCH_SIZE
from imports.tests.files import LibreOffice

from .screens import assert_no_sideways_scroll

TITLE = "Kochi education fair 2026: enquiries at the stall"
HEADER = ["Student Name", "Mobile No.", "City", "Enquiry Date", "Remarks", "Lead Source"]
HEADER_ROW = 3  # under the title and an empty row
# What a desk at a fair types: a phone Excel turned into a number, real date cells and typed
# dates, a blank row, a student who came back, a digit missing and a date nobody can read.
FAIR_ROWS = [
    ["Anjali Nair", 9847012345, "Kochi", date(2026, 1, 5), "Parent called", "Fair stall"],
    ["Rohan Das", "+91 98950 22334", "Thrissur", "01/02/2026", None, "Website"],
    [],
    ["Fathima Khan", "91 9746155667", "Kozhikode", "31/01/2026", "Wants hostel details", "Web"],
    ["Anjali Nair", "+91 98470 12345", "Kochi", None, "Asked about the fee plan", "Phone call"],
    ["Vishnu Prasad", "98470 5551", "Aluva", date(2026, 1, 9), "Sister studies here", "Fair"],
    ["Sneha Joseph", "099460-12345", "Alappuzha", "next Monday", "Call after 6 pm", "Website"],
]
BAD_PHONE_ROW, BAD_DATE_ROW = 9, 10
FIXED_PHONE = "98470 55512"  # the digit the desk missed
# A lead already in the system, in the file's second batch: holding its row pauses the worker.
RETURNING = {"name": "Lakshmi Krishnan", "phone_number": "+919744011223", "area": ""}
RETURNING_ROW = ["Lakshmi Krishnan", "97440 11223", "Ernakulam", "20/01/2026", "", "Website"]

TOTAL = BATCH_SIZE * 3 // 2  # data rows: one whole batch, then the rest
PAUSED_PERCENT = BATCH_SIZE * 100 // TOTAL
FIRST_NAMES = ["Aditya", "Bhavya", "Devika", "Gautham", "Haritha", "Jithin", "Keerthana", "Midhun"]
LAST_NAMES = ["Menon", "Pillai", "Varghese", "Kurian", "Thomas", "Panicker", "Warrier"]
AREAS = ["Kochi", "Thrissur", "Kottayam", "Palakkad", "Kannur", "Kollam"]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
WORKER_TIMEOUT = 20_000  # ms: the worker process starts, then the page polls once a second


def portal_row(number: int) -> list:
    """Another enquiry, its phone and date written one of the everyday ways."""
    national = f"94000{number:05d}"
    phone = [
        int(national),
        f"+91 {national[:5]} {national[5:]}",
        f"0{national[:5]}-{national[5:]}",
        f"91 {national}",
    ][number % 4]
    day = date(2026, 1, 1) + timedelta(days=number % 40)
    name = f"{FIRST_NAMES[number % 8]} {LAST_NAMES[number % 7]}"
    return [name, phone, AREAS[number % 6], day if number % 2 else f"{day:%d/%m/%Y}", "", "Web"]


def fair_rows() -> list[list]:
    data_rows = [row for row in FAIR_ROWS if row]
    fillers = [portal_row(n) for n in range(TOTAL - len(data_rows) - 1)]
    at = BATCH_SIZE + BATCH_SIZE // 4 - len(data_rows)  # well inside the second batch
    return [*FAIR_ROWS, *fillers[:at], RETURNING_ROW, *fillers[at:]]


@pytest.fixture
def fair_workbook(tmp_path) -> Path:
    """The messy workbook, written by openpyxl and saved again by LibreOffice when installed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Enquiries"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([])
    sheet.append(HEADER)
    for row in fair_rows():
        sheet.append(row)
    source = tmp_path / "openpyxl" / "fair-enquiries.xlsx"
    source.parent.mkdir()
    workbook.save(source)
    if shutil.which("libreoffice") is None:
        return source
    (saved,) = LibreOffice(tmp_path).convert([source], "xlsx", tmp_path / "libreoffice")
    return saved


@pytest.fixture
def returning_lead(db):
    return CustomerFactory(**RETURNING)


@contextmanager
def lead_held(phone: str):
    """Hold one customer's row, as a long edit would, so the import waits at its batch.

    Yields whether the worker will wait. SQLite has no row locks: its one write lock would stop
    the worker wherever it happened to be, even before it picked up the import.
    """
    if not connection.features.has_select_for_update:
        yield False
        return
    with transaction.atomic():
        Customer.objects.select_for_update().get(phone_number=phone)
        yield True


def record_progress(page: Page) -> None:
    """Note the bar's value now and after every htmx swap (a page load would lose the list)."""
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    page.evaluate(
        """() => {
            window.progressSeen = [document.querySelector('progress').value];
            document.body.addEventListener('htmx:afterSettle', () => {
                const bar = document.querySelector('progress');
                if (bar) window.progressSeen.push(bar.value);
            });
        }"""
    )


def expect_counts(page: Page, **counts: int) -> None:
    # Counts show with digit grouping; below 1,00,000 Indian and Western grouping agree.
    for name, value in counts.items():
        expect(page.get_by_test_id(name)).to_have_text(f"{value:,}")


def upload(page: Page, path: Path) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import leads").click()
    page.get_by_label("Lead file").set_input_files(path)
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name=path.name)).to_be_visible()


@pytest.mark.browser
def test_manager_imports_a_messy_workbook_fixes_a_failed_row_and_finds_the_lead(
    page: Page,
    new_context,
    log_in,
    manager,
    returning_lead,
    fair_workbook,
    task_worker,
    tmp_path,
    screenshot_dir,
):
    errors = []  # uncaught script errors: htmx must poll cleanly
    page.on("pageerror", lambda error: errors.append(error.message))
    page.set_viewport_size(DESKTOP)
    status = page.locator("#import-status")
    bar = page.get_by_role("progressbar", name="Import progress")

    # The manager uploads the workbook; with no worker running yet, it waits in the queue.
    log_in(page, manager)
    upload(page, fair_workbook)
    expect(status.get_by_text("Queued", exact=True)).to_be_visible()
    expect(status).to_contain_text(f"0 of {TOTAL:,} rows")
    expect(bar).to_have_attribute("value", "0")
    record_progress(page)

    # The worker starts; where rows can be locked, it is held after its first batch.
    with lead_held(RETURNING["phone_number"]) as held:
        task_worker.start()
        if held:
            expect(status.get_by_text("Running", exact=True)).to_be_visible(timeout=WORKER_TIMEOUT)
            expect(status).to_contain_text(f"{BATCH_SIZE:,} of {TOTAL:,} rows")
            expect(bar).to_have_attribute("value", str(PAUSED_PERCENT))
        page.screenshot(path=screenshot_dir / "import-progress-desktop.png", full_page=True)

    # ...and finishes; the bar only ever moved forward, swapped in place by htmx.
    expect(status.get_by_text("Done", exact=True)).to_be_visible(timeout=WORKER_TIMEOUT)
    expect(bar).to_have_attribute("value", "100")
    expect(page.get_by_test_id("percent")).to_have_text("100%")
    seen = page.evaluate("window.progressSeen")
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    assert (seen[0], seen[-1]) == (0, 100)
    if held:
        assert PAUSED_PERCENT in seen
    # Every row is accounted for: the repeat of row 4 and the returning lead are updates; the
    # unreadable date is imported without it, with a warning.
    expect_counts(page, created=TOTAL - 3, updated=2, unchanged=0, failed=1, merged=1)
    expect(status).to_contain_text(f"Header found on row {HEADER_ROW}.")
    expect(status).to_contain_text("Ignored (not imported): Lead Source")
    expect(status).to_contain_text("Row 8 repeats row 4 (+919847012345)")
    failed = page.get_by_test_id("row-errors").get_by_role("row")
    expect(failed).to_have_count(1)
    expect(failed.nth(0).get_by_role("cell")).to_have_text(
        [str(BAD_PHONE_ROW), "Mobile No.", "98470 5551", re.compile("not a valid phone number")]
    )
    warned = page.get_by_test_id("row-warnings").get_by_role("listitem")
    expect(warned).to_have_count(1)
    expect(warned).to_contain_text(f"Row {BAD_DATE_ROW}, Enquiry Date “next Monday”")
    expect(warned).to_contain_text("imported without the date")
    page.screenshot(path=screenshot_dir / "import-done-desktop.png", full_page=True)
    returning_lead.refresh_from_db()
    assert returning_lead.area == "Ernakulam"

    on_phone = new_context(**PHONE).new_page()
    log_in(on_phone, manager)
    on_phone.goto(page.url)
    expect(on_phone.get_by_test_id("row-errors").get_by_role("row")).to_have_count(1)
    assert_no_sideways_scroll(on_phone)
    on_phone.screenshot(path=screenshot_dir / "import-done-phone.png", full_page=True)
    on_phone.context.close()

    # The error report has the file's own header, an `error` column, the failed rows and the
    # rows imported with a warning.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these rows (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "fair-enquiries-errors.csv"
    report = tmp_path / download.suggested_filename
    download.save_as(report)
    with report.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = csv.reader(file)
    assert header == [*HEADER, "error"]
    assert [row[:2] for row in rows] == [
        ["Vishnu Prasad", "98470 5551"],
        ["Sneha Joseph", "099460-12345"],
    ]
    assert rows[0][-1].startswith(f"Row {BAD_PHONE_ROW}: ")
    assert rows[1][-1].startswith(f"Row {BAD_DATE_ROW}: Warning: ")

    # The manager types the missing digit, leaves the other row for later and uploads the file.
    rows[0][1] = FIXED_PHONE
    fixed = tmp_path / "fair-enquiries-fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *rows])
    upload(page, fixed)
    expect(status.get_by_text("Done", exact=True)).to_be_visible(timeout=WORKER_TIMEOUT)
    # Sneha Joseph is already in, without her date: unchanged, and warned about again.
    expect_counts(page, created=1, updated=0, unchanged=1, failed=0, merged=0)
    expect(page.get_by_test_id("row-errors")).to_have_count(0)
    expect(page.get_by_test_id("row-warnings").get_by_role("listitem")).to_have_count(1)
    expect(status).to_contain_text("Ignored (not imported): Lead Source error")

    # ...and finds the student in the customer list by part of his number, typed with a space.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    # Rows show before the deferred scripts run; type once htmx is listening.
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")
    page.get_by_role("searchbox", name="Search").press_sequentially("98470 555")
    customers = page.locator("[data-customer-row]")
    expect(customers).to_have_count(1)
    expect(customers).to_contain_text("Vishnu Prasad")
    lead = Customer.objects.get(phone_number="+919847055512")
    assert (lead.name, lead.area, lead.date) == ("Vishnu Prasad", "Aluva", date(2026, 1, 9))
    assert lead.status == Customer.Status.NEW
    assert errors == []
