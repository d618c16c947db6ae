"""Committing an import: create, update, unchanged, merge, re-import, counts (both databases)."""

from datetime import date

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory
from imports import services
from imports.models import FileImport, ImportMergedRow, ImportRowError

from .files import csv_bytes, replace_in_workbook, xlsx_bytes

pytestmark = pytest.mark.django_db
S = Customer.Status
HEADER = ["Student Name", "Mobile No", "City", "Enquiry Date", "Remarks", "Course"]


def leads(*rows):
    return csv_bytes([HEADER, *rows])


def assert_accounted_for(file_import):
    """Every data row is counted exactly once, and the stored counts agree with each other."""
    fi = file_import
    assert fi.created_records + fi.updated_records + fi.unchanged_records + fi.failed_records == (
        fi.total_records
    )
    assert fi.processed_rows == fi.total_records
    assert fi.successful_records == fi.created_records + fi.updated_records + fi.unchanged_records
    assert fi.row_errors.failures().count() == fi.failed_records
    assert fi.row_errors.warnings().count() == fi.warned_records
    assert fi.merged_rows.count() == fi.merged_records


def test_new_phones_create_new_unassigned_customers(import_file):
    data = leads(
        ["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "Parent called", "MBA"],
        ["Rohan Das", "098950-22334", "Thrissur", "", "", ""],
        ["", "9746155667", "", "", "", ""],
    )

    file_import = import_file(data)

    assert file_import.status == FileImport.Status.DONE
    assert (file_import.total_records, file_import.created_records) == (3, 3)
    assert_accounted_for(file_import)
    anjali = Customer.objects.get(phone_number="+919847012345")
    assert (anjali.name, anjali.area, anjali.date, anjali.remark) == (
        "Anjali Nair",
        "Kochi",
        date(2026, 1, 5),
        "Parent called",
    )
    assert anjali.status == S.NEW
    assert anjali.assigned_to is None
    assert anjali.notes == ""
    nameless = Customer.objects.get(phone_number="+919746155667")
    assert (nameless.name, nameless.area, nameless.date, nameless.remark) == ("", "", None, "")


def test_awkward_text_is_stored_exactly(import_file):
    remark = 'He said "call after 6, not before"\nthen: \\N, \\. and a tab\there ₹ ✓'
    data = leads(['D\'Souza, Ann \\ "Annie"', "9876543210", "Navi Mumbai", "", remark, ""])

    import_file(data)

    customer = Customer.objects.get()
    assert customer.name == 'D\'Souza, Ann \\ "Annie"'
    assert customer.remark == remark


def test_a_known_phone_fills_and_replaces_fields_but_empty_cells_never_erase(import_file):
    customer = CustomerFactory(
        phone_number="+919847012345",
        name="Anjali",
        area="Kochi",
        date=date(2025, 12, 1),
        remark="First call done",
    )
    data = leads(["Anjali Nair", "9847012345", "", "", "Wants hostel details", ""])

    file_import = import_file(data)

    assert (file_import.updated_records, file_import.created_records) == (1, 0)
    customer.refresh_from_db()
    assert customer.name == "Anjali Nair"  # replaced
    assert customer.remark == "Wants hostel details"  # replaced
    assert customer.area == "Kochi"  # empty cell: kept
    assert customer.date == date(2025, 12, 1)  # empty cell: kept


def test_a_known_phone_gets_its_empty_fields_filled(import_file):
    customer = CustomerFactory(phone_number="+919847012345", name="", area="", remark="")

    import_file(leads(["Anjali Nair", "9847012345", "Kochi", "05/01/2026", "Called", ""]))

    customer.refresh_from_db()
    assert (customer.name, customer.area, customer.date, customer.remark) == (
        "Anjali Nair",
        "Kochi",
        date(2026, 1, 5),
        "Called",
    )


def test_a_row_that_changes_nothing_is_unchanged_and_not_written(import_file):
    customer = CustomerFactory(
        phone_number="+919847012345", name="Anjali Nair", area="Kochi", date=date(2026, 1, 5)
    )
    before = Customer.objects.get(pk=customer.pk).updated_at

    file_import = import_file(
        leads(["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "", ""])
    )

    assert (file_import.unchanged_records, file_import.updated_records) == (1, 0)
    assert Customer.objects.get(pk=customer.pk).updated_at == before


def test_status_notes_and_assignment_of_known_customers_are_never_touched(
    import_file, counsellor, other_counsellor
):
    customer = CustomerFactory(
        phone_number="+919847012345",
        status=S.FOLLOW_UP,
        notes="Call the father, not the student.",
        assigned_to=counsellor,
    )
    unassigned = CustomerFactory(phone_number="+919895022334", status=S.INTERESTED)
    data = leads(
        ["Anjali Nair", "9847012345", "Kochi", "", "", ""],
        ["Rohan Das", "9895022334", "Thrissur", "", "", ""],
    )

    import_file(data, assign=FileImport.Assign.ONE, assign_to=other_counsellor)

    customer.refresh_from_db()
    unassigned.refresh_from_db()
    assert (customer.status, customer.notes, customer.assigned_to) == (
        S.FOLLOW_UP,
        "Call the father, not the student.",
        counsellor,
    )
    assert (unassigned.status, unassigned.assigned_to) == (S.INTERESTED, None)
    assert not CustomerAssignmentHistory.objects.exists()


def test_an_import_writes_no_status_history(import_file):
    CustomerFactory(phone_number="+919847012345", status=S.VALID, name="Old")
    data = leads(
        ["Anjali Nair", "9847012345", "", "", "", ""],
        ["Rohan Das", "9895022334", "", "", "", ""],
        ["Rohan Das", "9895022334", "Thrissur", "", "", ""],
    )

    import_file(data)

    assert not CustomerStatusHistory.objects.exists()
    assert set(Customer.objects.values_list("status", flat=True)) == {S.VALID, S.NEW}


def test_a_phone_repeated_in_the_same_file_is_merged_into_one_customer(import_file):
    data = leads(
        ["Rohan Das", "098950-22334", "", "06/01/2026", "", ""],
        ["Fathima Khan", "9746155667", "Kozhikode", "", "", ""],
        ["", "98950 22334", "Thrissur", "", "Asked for the fee structure", ""],
    )

    file_import = import_file(data)

    rohan = Customer.objects.get(phone_number="+919895022334")
    assert (rohan.name, rohan.area, rohan.date, rohan.remark) == (
        "Rohan Das",
        "Thrissur",
        date(2026, 1, 6),
        "Asked for the fee structure",
    )
    assert Customer.objects.count() == 2
    assert file_import.merged_records == 1
    merged = ImportMergedRow.objects.get(file_import=file_import)
    assert (merged.row_number, merged.first_row_number, merged.phone_number) == (
        4,
        2,
        "+919895022334",
    )
    assert (file_import.created_records, file_import.updated_records) == (2, 1)
    assert_accounted_for(file_import)


def test_repeated_phones_merge_across_batches(import_file, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    rows = [[f"Lead {n}", f"98765432{n:02d}", "", "", "", ""] for n in range(7)]
    rows.insert(4, ["", "9876543201", "Kochi", "", "", ""])  # repeats row 3, in batch 2
    rows.append(["", "+91 98765 43200", "", "", "Second enquiry", ""])  # repeats row 2, batch 3

    file_import = import_file(leads(*rows))

    assert Customer.objects.count() == 7
    assert Customer.objects.get(phone_number="+919876543201").area == "Kochi"
    assert Customer.objects.get(phone_number="+919876543200").remark == "Second enquiry"
    assert list(file_import.merged_rows.values_list("row_number", "first_row_number")) == [
        (6, 3),
        (10, 2),
    ]
    assert (file_import.created_records, file_import.updated_records) == (7, 2)
    assert_accounted_for(file_import)


def test_importing_the_same_file_again_creates_nothing(import_file, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    data = leads(
        ["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "Parent called", ""],
        ["Rohan Das", "098950-22334", "Thrissur", "", "", ""],
        ["Rohan Das", "98950 22334", "", "", "Fee structure", ""],
        ["Meera Pillai", "12345", "Kollam", "", "", ""],
        ["Arun Kumar", "91 9895088776", "Palakkad", "08.01.2026", "", ""],
    )
    first = import_file(data)
    snapshot = set(Customer.objects.values_list("phone_number", "name", "area", "date", "remark"))

    second = import_file(data)

    assert first.created_records == 3
    assert (second.created_records, second.updated_records) == (0, 0)
    assert (second.unchanged_records, second.failed_records) == (4, 1)
    assert_accounted_for(second)
    assert (
        set(Customer.objects.values_list("phone_number", "name", "area", "date", "remark"))
        == snapshot
    )


def test_an_xlsx_import_and_its_csv_twin_agree(import_file):
    rows = [["Name", "Phone", "Enquiry date"], ["Asha", 9876543210, date(2026, 1, 5)]]
    import_file(xlsx_bytes(rows), name="leads.xlsx")

    again = import_file(csv_bytes([rows[0], ["Asha", "9876543210", "05/01/2026"]]))

    assert again.unchanged_records == 1
    assert Customer.objects.get().date == date(2026, 1, 5)


def test_counts_and_failed_rows_are_stored(import_file):
    CustomerFactory(phone_number="+919746155667", name="Fathima Khan", area="")
    CustomerFactory(phone_number="+919876501234", name="Sneha Joseph", area="Kottayam")
    data = leads(
        ["Anjali Nair", "+91 98470 12345", "Kochi", "05/01/2026", "", ""],  # created
        ["Fathima Khan", "9746155667", "Kozhikode", "", "", ""],  # updated
        ["Sneha Joseph", "9876501234", "Kottayam", "", "", ""],  # unchanged
        [],
        ["Meera Pillai", "12345", "Kollam", "10/01/2026", "", "B.Com"],  # failed: phone
        ["Vikram Menon", "9447011223", "Trivandrum", "31/02/2026", "", "MBBS"],  # warned: date
    )

    file_import = import_file(data)

    fi = file_import
    assert (fi.total_records, fi.created_records, fi.updated_records) == (5, 2, 1)
    assert (fi.unchanged_records, fi.failed_records, fi.successful_records) == (1, 1, 4)
    assert fi.warned_records == 1
    assert_accounted_for(fi)
    errors = list(ImportRowError.objects.filter(file_import=fi))
    assert [(e.row_number, e.column, e.value, e.warning) for e in errors] == [
        (6, "Mobile No", "12345", False),
        (7, "Enquiry Date", "31/02/2026", True),
    ]
    assert errors[0].reason == "“12345” is not a valid phone number."
    assert errors[1].reason.endswith("The row was imported without the date.")
    assert errors[1].cells == ["Vikram Menon", "9447011223", "Trivandrum", "31/02/2026", "", "MBBS"]
    vikram = Customer.objects.get(phone_number="+919447011223")
    assert (vikram.name, vikram.area, vikram.date) == ("Vikram Menon", "Trivandrum", None)


def test_a_bad_date_never_erases_the_date_a_customer_has(import_file):
    CustomerFactory(phone_number="+919447011223", name="Vikram Menon", date=date(2026, 1, 5))

    fi = import_file(leads(["Vikram Menon", "9447011223", "Kollam", "31/02/2026", "", ""]))

    vikram = Customer.objects.get(phone_number="+919447011223")
    assert (vikram.area, vikram.date) == ("Kollam", date(2026, 1, 5))
    assert (fi.updated_records, fi.warned_records, fi.failed_records) == (1, 1, 0)
    assert_accounted_for(fi)


def test_the_columns_found_are_stored_in_file_order(import_file):
    file_import = import_file(leads(["Asha", "9876543210", "", "", "", "MBA"]))

    assert file_import.columns == {
        "header": HEADER,
        "header_row": 1,
        "recognised": [
            ["name", "Student Name"],
            ["phone_number", "Mobile No"],
            ["area", "City"],
            ["date", "Enquiry Date"],
            ["remark", "Remarks"],
        ],
        "ignored": ["Course"],
    }
    assert file_import.format == "csv"


def test_a_file_that_cannot_be_read_fails_the_import_and_changes_no_customer(import_file):
    customer = CustomerFactory(phone_number="+919876543210", name="Asha")

    file_import = import_file(b"Student Name,City\nAsha Menon,Kochi\n")

    assert file_import.status == FileImport.Status.FAILED
    assert file_import.error_message.startswith("No phone column was found.")
    assert file_import.finished_at is not None
    assert not file_import.can_resume
    assert (file_import.processed_rows, file_import.created_records) == (0, 0)
    assert list(Customer.objects.all()) == [customer]
    customer.refresh_from_db()
    assert customer.name == "Asha"


def test_a_file_missing_from_storage_fails_the_import_with_a_reason(queue_import):
    file_import = queue_import(leads(["Asha", "9876543210", "", "", "", ""]))
    file_import.file.storage.delete(file_import.file.name)
    assert file_import.claim()

    services.run_import(file_import)

    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED
    assert "no longer in storage" in file_import.error_message
    assert not Customer.objects.exists()


def test_only_one_of_two_racing_workers_claims_an_import(queue_import):
    queued = queue_import(leads(["Asha", "9876543210", "", "", "", ""]))
    first, second = FileImport.objects.get(pk=queued.pk), FileImport.objects.get(pk=queued.pk)

    assert first.claim() is True
    assert second.claim() is False
    assert first.status == FileImport.Status.RUNNING
    assert first.started_at is not None


def test_control_characters_never_reach_the_database(import_file):
    # Excel writes a NUL typed into a cell as the escape "_x0000_", which readers decode to
    # "\x00": PostgreSQL refuses such text, so the row must be cleaned or fail with a reason,
    # never stop the import at that batch for good.
    workbook = xlsx_bytes([["Name", "Phone"], ["Asha MARK", "9876543210"], ["Ravi", "9876543211"]])
    data = replace_in_workbook(workbook, b"Asha MARK", b"Asha_x0000_ Menon")

    file_import = import_file(data, name="leads.xlsx")

    assert file_import.status == FileImport.Status.DONE
    assert_accounted_for(file_import)
    assert file_import.total_records == 2
    # Checked in Python: a NUL inside a query parameter is itself refused or truncated.
    assert not any("\x00" in name for name in Customer.objects.values_list("name", flat=True))
