"""/imports/<id>/: progress while running, then counts, columns, the failed rows and the rows
imported with a warning."""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from customers.tests.pages import login_url_for, template_names
from imports.models import FileImport

from .files import csv_bytes

DATA = csv_bytes(
    [
        ["Student Name", "Mobile No", "City", "Enquiry Date", "Course Interested", "Source"],
        ["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "MBA", "Shiksha"],
        ["Rohan Das", "098950-22334", "Thrissur", "", "", ""],
        ["Meera Pillai", "12345", "Kollam", "", "B.Com", ""],
        ["Rohan Das", "98950 22334", "", "", "", ""],
        ["Vikram Menon", "9447011223", "Trivandrum", "31/02/2026", "", ""],
    ]
)


def url(file_import):
    return f"/imports/{file_import.pk}/"


def text(response) -> str:
    """The page as a person reads it: tags removed, whitespace collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(without_tags).split())


def count_shown(response, testid) -> str:
    match = re.search(rf'data-testid="{testid}">\s*([^<]*?)\s*<', response.content.decode())
    return match.group(1)


@pytest.fixture
def finished(import_file):
    return import_file(DATA, name="fair-leads.csv")


def test_anonymous_is_sent_to_login(client, finished):
    response = client.get(url(finished))

    assert response.status_code == 302
    assert response.url == login_url_for(url(finished))


def test_a_counsellor_is_forbidden(counsellor_client, finished):
    assert counsellor_client.get(url(finished)).status_code == 403


def test_an_unknown_import_is_404(manager_client):
    assert manager_client.get(f"/imports/{uuid.uuid4()}/").status_code == 404


def test_the_page_shows_the_counts(manager_client, finished):
    response = manager_client.get(url(finished))

    assert response.status_code == 200
    assert count_shown(response, "created") == "3"
    assert count_shown(response, "updated") == "0"
    assert count_shown(response, "unchanged") == "1"
    assert count_shown(response, "failed") == "1"
    assert count_shown(response, "merged") == "1"
    assert "5 of 5 rows" in text(response)
    assert "fair-leads.csv" in text(response)
    assert "Done" in text(response)


def test_the_page_shows_recognised_and_ignored_columns(manager_client, finished):
    page = text(manager_client.get(url(finished)))

    assert "Header found on row 1" in page
    assert "Student Name → name" in page
    assert "Mobile No → phone" in page
    assert "City → area" in page
    assert "Enquiry Date → date" in page
    assert "Ignored (not imported): Course Interested Source" in page


def test_the_page_lists_failed_rows_with_row_column_and_reason(manager_client, finished):
    response = manager_client.get(url(finished))

    rows = re.findall(
        r"<tr>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>"
        r"\s*<td[^>]*>([^<]*)</td>",
        unescape(response.content.decode()),
    )
    assert rows == [("4", "Mobile No", "12345", "“12345” is not a valid phone number.")]
    assert "Rows that were not imported (1)" in text(response)
    assert f'href="/imports/{finished.pk}/errors.csv"' in response.content.decode()


def test_the_page_lists_rows_imported_with_a_warning(manager_client, finished):
    page = text(manager_client.get(url(finished)))

    assert "Rows imported with a warning (1)" in page
    assert (
        "Row 6, Enquiry Date “31/02/2026”: “31/02/2026” is not a date. Write dates as "
        "DD/MM/YYYY, e.g. 31/01/2026. The row was imported without the date."
    ) in page


def test_an_import_without_warnings_shows_no_warning_section(manager_client, import_file):
    file_import = import_file(csv_bytes([["Phone", "Date"], ["9876543210", "05/01/2026"]]))

    assert "imported with a warning" not in text(manager_client.get(url(file_import)))


def test_the_page_lists_phones_repeated_in_the_file(manager_client, finished):
    assert "Row 5 repeats row 3 (+919895022334)" in text(manager_client.get(url(finished)))


def test_a_running_import_polls_for_progress(manager_client, queue_import):
    file_import = queue_import(DATA)
    file_import.claim()
    FileImport.objects.filter(pk=file_import.pk).update(total_records=5, processed_rows=0)

    response = manager_client.get(url(file_import))

    content = response.content.decode()
    assert f'hx-get="/imports/{file_import.pk}/"' in content
    assert 'hx-trigger="every 1s"' in content
    assert count_shown(response, "percent") == "0%"
    assert "Running" in text(response)


def test_a_finished_import_stops_polling(manager_client, finished):
    response = manager_client.get(url(finished))

    assert "hx-trigger" not in response.content.decode()
    assert count_shown(response, "percent") == "100%"


def test_an_htmx_poll_gets_only_the_status_fragment(manager_client, finished):
    response = manager_client.get(url(finished), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert template_names(response)[0] == "imports/_status.html"
    assert "base.html" not in template_names(response)
    assert count_shown(response, "created") == "3"


def test_a_full_page_load_uses_the_detail_page(manager_client, finished):
    response = manager_client.get(url(finished))

    assert "imports/detail.html" in template_names(response)
    assert 'id="import-status"' in response.content.decode()


def test_a_failed_import_shows_its_reason(manager_client, import_file):
    file_import = import_file(b"Student Name,City\nAsha,Kochi\n")

    response = manager_client.get(url(file_import))

    assert "No phone column was found." in text(response)
    assert "Failed" in text(response)
    assert "Run again" not in text(response)


def test_a_stalled_import_is_shown_as_failed_with_a_run_again_button(
    manager_client, queue_import, settings
):
    file_import = queue_import(DATA)
    file_import.claim()
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 5)
    FileImport.objects.filter(pk=file_import.pk).update(
        heartbeat_at=long_ago, total_records=5, processed_rows=0
    )

    response = manager_client.get(url(file_import))

    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED
    assert FileImport.STALLED_MESSAGE in text(response)
    assert f'action="/imports/{file_import.pk}/retry/"' in response.content.decode()


def test_importing_the_same_file_again_says_so(manager_client, finished, import_file):
    again = import_file(DATA, name="fair-leads-copy.csv")

    page = text(manager_client.get(url(again)))

    assert "The same file was imported before" in page
    assert "Importing it again creates no duplicates" in page
    assert "The same file was imported before" not in text(manager_client.get(url(finished)))
