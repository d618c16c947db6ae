"""/customers/export.csv and .xlsx: the list as filtered, spreadsheet-safe, and re-importable."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AgencySettings
from customers.factories import CustomerFactory
from customers.models import Customer
from imports.models import FileImport

from .pages import login_url_for

S = Customer.Status
CSV_URL = "/customers/export.csv"
XLSX_URL = "/customers/export.xlsx"
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
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def xlsx_bytes_of(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(xlsx_bytes_of(response))).active


def xlsx_rows(response) -> list[list]:
    return [[cell.value for cell in row] for row in xlsx_sheet(response).iter_rows()]


def xml_text(text: str) -> str:
    return text.replace("\r", "\n")


def by_phone(rows) -> dict:
    return {row[1]: row for row in rows[1:]}


def phones_in_csv(response) -> set[str]:
    return {row[1].removeprefix('="').removesuffix('"') for row in csv_rows(response)[1:]}


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == login_url_for(url)


def test_csv_is_a_streamed_attachment_named_by_date(manager_client):
    response = manager_client.get(CSV_URL)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == f'attachment; filename="customers-{today}.csv"'


def test_xlsx_is_an_attachment_named_by_date(manager_client):
    response = manager_client.get(XLSX_URL)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == f'attachment; filename="customers-{today}.xlsx"'


def test_a_manager_exports_every_customer_with_status_label_and_counsellor(
    manager_client, customer, others_customer
):
    customer.status = S.CALL_NOT_ATTENDED
    customer.date = date(2026, 1, 5)
    customer.remark = "Parent called"
    customer.notes = "Prefers evenings"
    customer.save()
    unassigned = CustomerFactory(name="Kiran Rao", area="Kollam")

    rows = csv_rows(manager_client.get(CSV_URL))

    assert rows[0] == HEADER
    assert len(rows) == 4
    exported = by_phone(rows)
    row = exported[f'="{customer.phone_number}"']
    assert row[:8] == [
        "Anjali Nair",
        f'="{customer.phone_number}"',
        customer.area,
        "05/01/2026",
        "Parent called",
        "Call Not Attended",
        "Arjun Menon",
        "Prefers evenings",
    ]
    # In Indian time, as the customer list shows it, not the database's UTC.
    assert row[8] == timezone.localtime(customer.created_at).strftime("%d/%m/%Y %H:%M")
    assert exported[f'="{others_customer.phone_number}"'][6] == "Meera Iyer"
    assert exported[f'="{unassigned.phone_number}"'][5:7] == ["New", ""]


def test_a_manager_exports_xlsx_with_status_label_and_counsellor(
    manager_client, customer, others_customer
):
    customer.date = date(2026, 1, 5)
    customer.save()

    rows = xlsx_rows(manager_client.get(XLSX_URL))

    assert rows[0] == HEADER
    row = by_phone(rows)[customer.phone_number]
    assert row[0] == "Anjali Nair"
    assert row[3].date() == date(2026, 1, 5)
    assert row[5:7] == ["New", "Arjun Menon"]
    added_on = timezone.localtime(customer.created_at).strftime("%d/%m/%Y %H:%M")
    assert row[8].strftime("%d/%m/%Y %H:%M") == added_on  # in Indian time, as the list shows
    assert by_phone(rows)[others_customer.phone_number][6] == "Meera Iyer"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"status": "VALID"}, ["Chitra", "Zara"]),
        ({"status": ["VALID", "FOLLOW_UP"]}, ["Chitra", "Asha", "Zara"]),
        ({"q": "Kochi"}, ["Bindu", "Zara"]),
        ({"assigned_to": "none"}, ["Chitra", "Bindu", "Asha"]),
        ({"sort": "name"}, ["Asha", "Bindu", "Chitra", "Zara"]),
    ],
    ids=["status", "two statuses", "search", "unassigned", "sorted"],
)
def test_a_manager_exports_the_list_as_filtered(manager_client, counsellor, query, names):
    # Created oldest first: the list shows newest first unless sorted.
    CustomerFactory(name="Zara", status=S.VALID, area="Kochi", assigned_to=counsellor)
    CustomerFactory(name="Asha", status=S.FOLLOW_UP, area="Thrissur")
    CustomerFactory(name="Bindu", status=S.NEW, area="Kochi")
    CustomerFactory(name="Chitra", status=S.VALID, area="Kollam")
    listed = manager_client.get("/customers/", query).context["filter"].qs
    assert [customer.name for customer in listed] == names

    csv_names = [row[0] for row in csv_rows(manager_client.get(CSV_URL, query))[1:]]
    xlsx_names = [row[0] for row in xlsx_rows(manager_client.get(XLSX_URL, query))[1:]]

    assert csv_names == names
    assert xlsx_names == names


def test_a_manager_exports_one_counsellors_customers(
    manager_client, counsellor, customer, others_customer
):
    rows = csv_rows(manager_client.get(CSV_URL, {"assigned_to": str(counsellor.pk)}))

    assert [row[0] for row in rows[1:]] == ["Anjali Nair"]


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_a_counsellor_exports_only_their_own_customers(
    counsellor_client, other_counsellor, customer, others_customer, url
):
    AgencySettings.objects.create(pk=1, counsellors_may_export=True)
    CustomerFactory(name="Unassigned Lead")

    response = counsellor_client.get(url, {"assigned_to": str(other_counsellor.pk)})

    rows = csv_rows(response) if url == CSV_URL else xlsx_rows(response)
    assert [row[0] for row in rows[1:]] == ["Anjali Nair"]


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_csv_cells_that_could_run_as_formulas_get_a_leading_apostrophe(manager_client, start):
    CustomerFactory(
        name=f'{start}HYPERLINK("http://evil")',
        area=f"{start}1+1",
        remark=f"{start}cmd|' /C calc'!A0",
        notes=f"{start}SUM(A1)",
    )

    (row,) = csv_rows(manager_client.get(CSV_URL))[1:]

    assert row[0] == f'\'{start}HYPERLINK("http://evil")'
    assert row[2] == f"'{start}1+1"
    assert row[4] == f"'{start}cmd|' /C calc'!A0"
    assert row[7] == f"'{start}SUM(A1)"


def test_csv_leaves_ordinary_text_alone(manager_client):
    CustomerFactory(name="Asha-Menon", area="Kochi = home", remark="Call @ 6 pm, +1 sibling")

    (row,) = csv_rows(manager_client.get(CSV_URL))[1:]

    assert row[0] == "Asha-Menon"
    assert row[2] == "Kochi = home"
    assert row[4] == "Call @ 6 pm, +1 sibling"


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_xlsx_cells_that_could_run_as_formulas_are_plain_text(manager_client, start):
    CustomerFactory(
        name=f'{start}HYPERLINK("http://evil")',
        area=f"{start}1+1",
        remark=f"{start}cmd|' /C calc'!A0",
    )

    response = manager_client.get(XLSX_URL)

    data = xlsx_bytes_of(response)
    sheet = load_workbook(io.BytesIO(data)).active
    name, area, remark = sheet["A2"], sheet["C2"], sheet["E2"]
    assert [cell.data_type for cell in (name, area, remark)] == ["s", "s", "s"]
    # XML reads a bare CR back as LF; either way the cell is text, not a formula.
    assert name.value == xml_text(f'{start}HYPERLINK("http://evil")')
    assert area.value == xml_text(f"{start}1+1")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_csv_shows_e164_phones_as_text(manager_client):
    CustomerFactory(phone_number="+919876543210")
    CustomerFactory(phone_number="+442079460958")

    rows = csv_rows(manager_client.get(CSV_URL))

    assert sorted(row[1] for row in rows[1:]) == ['="+442079460958"', '="+919876543210"']


def test_xlsx_stores_phones_as_text_cells(manager_client):
    CustomerFactory(phone_number="+919876543210")

    sheet = xlsx_sheet(manager_client.get(XLSX_URL))

    assert sheet["B2"].value == "+919876543210"
    assert sheet["B2"].data_type == "s"


def test_an_empty_list_exports_just_the_header(manager_client):
    assert csv_rows(manager_client.get(CSV_URL)) == [HEADER]
    assert xlsx_rows(manager_client.get(XLSX_URL)) == [HEADER]


@pytest.fixture
def awkward_customers(counsellor):
    """Customers as the app really holds them, including text that needs care in a spreadsheet."""
    return [
        CustomerFactory(
            name="Anjali Nair",
            phone_number="+919847012345",
            area="Kochi",
            date=date(2026, 1, 5),
            remark="Parent called",
            status=S.FOLLOW_UP,
            notes="Call after 6",
            assigned_to=counsellor,
        ),
        CustomerFactory(name="=1+1", phone_number="+919895022334", area="@home", remark="-5"),
        CustomerFactory(name="", phone_number="+442079460958", area="", remark="", date=None),
        CustomerFactory(
            name='Rohan, "Ronnie" D\'Souza',
            phone_number="+919746155667",
            area="Thrissur",
            remark="Fees: ₹1,20,000; hostel ✓",
        ),
        # Remarks typed into the web form's textarea arrive with CRLF line breaks.
        CustomerFactory(
            name="Fathima Khan",
            phone_number="+919876501234",
            remark="Called twice.\r\nParent wants a campus visit.",
        ),
    ]


def snapshot():
    return sorted(
        Customer.objects.values_list(
            "phone_number",
            "name",
            "area",
            "date",
            "remark",
            "status",
            "notes",
            "assigned_to",
            "updated_at",
        )
    )


@pytest.mark.parametrize(("url", "name"), [(CSV_URL, "export.csv"), (XLSX_URL, "export.xlsx")])
def test_an_export_imported_again_changes_nothing(
    manager_client, awkward_customers, settings, tmp_path, url, name
):
    settings.MEDIA_ROOT = tmp_path
    exported = b"".join(manager_client.get(url).streaming_content)
    before = snapshot()

    response = manager_client.post(
        "/imports/new/", {"file": SimpleUploadedFile(name, exported), "assign": "NOBODY"}
    )

    assert response.status_code == 302
    file_import = FileImport.objects.get()
    assert file_import.status == FileImport.Status.DONE
    assert file_import.total_records == len(awkward_customers)
    assert (file_import.created_records, file_import.failed_records) == (0, 0)
    assert file_import.updated_records == 0
    assert file_import.unchanged_records == len(awkward_customers)
    assert snapshot() == before
