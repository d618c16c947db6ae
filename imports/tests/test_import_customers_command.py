"""`manage.py import_customers FILE`: the same import from the command line, with a summary."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.factories import CounsellorFactory, ManagerFactory
from customers.models import Customer, CustomerAssignmentHistory
from imports.models import FileImport

from .files import csv_bytes

pytestmark = pytest.mark.django_db
DATA = csv_bytes(
    [
        ["Student Name", "Mobile No", "City", "Course"],
        ["Anjali Nair", "+91 98470 12345", "Kochi", "MBA"],
        ["Rohan Das", "098950-22334", "Thrissur", ""],
        ["Meera Pillai", "12345", "Kollam", ""],
        ["Rohan Das", "98950 22334", "", ""],
    ]
)


@pytest.fixture
def leads_file(tmp_path):
    path = tmp_path / "fair-leads.csv"
    path.write_bytes(DATA)
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_customers", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def test_imports_the_file_and_prints_the_summary(leads_file, manager):
    output = run(leads_file, "--as", "manager")

    file_import = FileImport.objects.get()
    assert file_import.status == FileImport.Status.DONE
    assert file_import.imported_by == manager
    assert file_import.file_name == "fair-leads.csv"
    assert Customer.objects.count() == 2
    assert output.splitlines() == [
        "fair-leads.csv: Done",
        "  rows 4: created 2, updated 0, unchanged 1, failed 1 (1 repeated phones merged)",
        "  columns: Student Name → name, Mobile No → phone_number, City → area",
        "  ignored: Course",
        "  row 4 (Mobile No): “12345” is not a valid phone number.",
    ]


def test_shows_a_progress_bar(leads_file, manager, capsys):
    run(leads_file)

    assert "[##############################] 4/4 rows" in capsys.readouterr().err


def test_without_as_the_first_active_manager_imports(leads_file, manager):
    ManagerFactory(username="zed", first_name="Zed", is_active=False)

    run(leads_file)

    assert FileImport.objects.get().imported_by == manager


def test_an_unknown_manager_is_an_error(leads_file, manager, counsellor):
    with pytest.raises(CommandError, match="No active Sales Manager called 'arjun'"):
        run(leads_file, "--as", "arjun")

    assert not FileImport.objects.exists()


def test_without_any_manager_it_says_to_create_one(leads_file, db):
    with pytest.raises(CommandError, match="Create a Sales Manager first"):
        run(leads_file)


def test_a_missing_file_is_an_error(tmp_path, manager):
    with pytest.raises(CommandError, match="No such file: .*missing.csv"):
        run(tmp_path / "missing.csv")

    assert not FileImport.objects.exists()


def test_assign_to_gives_new_customers_to_that_counsellor(leads_file, manager, counsellor):
    run(leads_file, "--assign-to", "arjun")

    assert Customer.objects.filter(assigned_to=counsellor).count() == 2
    assert CustomerAssignmentHistory.objects.filter(changed_by=manager).count() == 2


def test_assign_to_an_inactive_counsellor_is_an_error(leads_file, manager):
    CounsellorFactory(username="gone", is_active=False)

    with pytest.raises(CommandError, match="No active Student Counsellor called 'gone'"):
        run(leads_file, "--assign-to", "gone")

    assert not Customer.objects.exists()


def test_spread_hands_new_customers_out_over_active_counsellors(
    leads_file, manager, counsellor, other_counsellor
):
    run(leads_file, "--spread")

    assert Customer.objects.filter(assigned_to=counsellor).count() == 1
    assert Customer.objects.filter(assigned_to=other_counsellor).count() == 1


def test_assign_to_and_spread_cannot_be_combined(leads_file, manager, counsellor):
    with pytest.raises(CommandError):
        run(leads_file, "--assign-to", "arjun", "--spread")


def test_a_file_that_cannot_be_imported_fails_with_its_reason(tmp_path, manager):
    path = tmp_path / "no-phones.csv"
    path.write_bytes(b"Name,City\nAsha,Kochi\n")

    with pytest.raises(CommandError, match="No phone column was found"):
        run(path)

    assert FileImport.objects.get().status == FileImport.Status.FAILED
    assert not Customer.objects.exists()
