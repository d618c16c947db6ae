"""/imports/<id>/errors.csv: the failed rows as they were, plus why, to fix and upload again;
rows imported with a warning are there too, their reason starting "Warning:"."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from customers.models import Customer
from customers.tests.pages import login_url_for
from imports.models import FileImport

from .files import csv_bytes, xlsx_bytes

HEADER = ["Student Name", "Mobile No", "City", "Enquiry Date", "Course Interested"]
DATA = csv_bytes(
    [
        ["Lead list from the Kochi education fair"],
        HEADER,
        ["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "MBA"],
        ["Meera Pillai", "12345", "Kollam", "10/01/2026", "B.Com"],
        ["Rohan, Das", "098950-22334", "Thrissur", "", "B.Tech"],
        ["Vikram Menon", "9447011223", "Trivandrum", "31/02/2026", 'MBBS "abroad"'],
    ]
)


def url(file_import):
    return f"/imports/{file_import.pk}/errors.csv"


def download(client, file_import) -> list[list[str]]:
    response = client.get(url(file_import))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def test_anonymous_is_sent_to_login(client, import_file):
    file_import = import_file(DATA)

    response = client.get(url(file_import))

    assert response.status_code == 302
    assert response.url == login_url_for(url(file_import))


def test_a_counsellor_is_forbidden(counsellor_client, import_file):
    assert counsellor_client.get(url(import_file(DATA))).status_code == 403


def test_the_download_is_a_csv_attachment_named_after_the_file(manager_client, import_file):
    response = manager_client.get(url(import_file(DATA, name="kochi fair.csv")))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kochi fair-errors.csv"'


def test_the_failed_rows_keep_their_original_cells_plus_an_error_column(
    manager_client, import_file
):
    rows = download(manager_client, import_file(DATA))

    assert rows == [
        [*HEADER, "error"],
        [
            "Meera Pillai",
            "12345",
            "Kollam",
            "10/01/2026",
            "B.Com",
            "Row 4: “12345” is not a valid phone number.",
        ],
        [
            "Vikram Menon",
            "9447011223",
            "Trivandrum",
            "31/02/2026",
            'MBBS "abroad"',
            "Row 6: Warning: “31/02/2026” is not a date. Write dates as DD/MM/YYYY, e.g. "
            "31/01/2026. The row was imported without the date.",
        ],
    ]


def test_an_import_without_failures_downloads_just_the_header(manager_client, import_file):
    file_import = import_file(csv_bytes([HEADER, ["Asha", "9876543210", "", "", ""]]))

    assert download(manager_client, file_import) == [[*HEADER, "error"]]


def test_failed_xlsx_rows_come_out_as_the_text_people_saw(manager_client, import_file):
    data = xlsx_bytes(
        [["Name", "Phone", "Fee"], ["Asha", 98765, 125000], ["Ravi", 9876543210, 1.5]]
    )

    rows = download(manager_client, import_file(data, name="leads.xlsx"))

    assert rows[1][:3] == ["Asha", "98765", "125000"]


def test_the_reason_stays_under_the_error_column_when_rows_have_trailing_cells(
    manager_client, import_file
):
    # Portal exports often end data rows, but not the header, with a comma.
    data = b"Name,Phone\nAsha,9876543210,\nRavi,12345,\n"

    header, row = download(manager_client, import_file(data))

    assert row[header.index("error")] == "Row 3: “12345” is not a valid phone number."


def test_the_fixed_error_file_uploaded_again_imports_those_rows(manager_client, import_file):
    original = import_file(DATA)
    header, *failed = download(manager_client, original)
    phone, when = header.index("Mobile No"), header.index("Enquiry Date")
    failed[0][phone] = "98470 55555"
    failed[1][when] = "28/02/2026"

    response = manager_client.post(
        "/imports/new/",
        {
            "file": SimpleUploadedFile("fixed.csv", csv_bytes([header, *failed])),
            "assign": "NOBODY",
        },
    )

    assert response.status_code == 302
    fixed = FileImport.objects.get(file_name="fixed.csv")
    # Meera is new; Vikram was imported without the date, which the fixed file fills in.
    assert (fixed.created_records, fixed.updated_records, fixed.failed_records) == (1, 1, 0)
    assert fixed.columns["ignored"] == ["Course Interested", "error"]
    assert Customer.objects.get(phone_number="+919847055555").name == "Meera Pillai"
    assert Customer.objects.get(phone_number="+919447011223").date.isoformat() == "2026-02-28"
    assert Customer.objects.count() == 4
