"""Assigning an import's new customers: to one counsellor, or spread evenly (both databases)."""

from collections import Counter

import pytest

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory
from imports import services
from imports.models import FileImport

from .files import csv_bytes

pytestmark = pytest.mark.django_db
A = FileImport.Assign


def leads(count, start=0):
    return csv_bytes(
        [["Name", "Phone"], *[[f"Lead {n}", f"98765{n:05d}"] for n in range(start, count)]]
    )


def test_nobody_leaves_new_customers_unassigned(import_file):
    import_file(leads(3), assign=A.NOBODY)

    assert Customer.objects.unassigned().count() == 3
    assert not CustomerAssignmentHistory.objects.exists()


def test_one_counsellor_gets_every_new_customer_with_a_history_row_each(
    import_file, manager, counsellor
):
    file_import = import_file(leads(4), assign=A.ONE, assign_to=counsellor)

    assert file_import.created_records == 4
    assert Customer.objects.filter(assigned_to=counsellor).count() == 4
    history = CustomerAssignmentHistory.objects.all()
    assert history.count() == 4
    assert {h.customer_id for h in history} == set(Customer.objects.values_list("pk", flat=True))
    assert {(h.previous_assignee, h.new_assignee, h.changed_by) for h in history} == {
        (None, counsellor, manager)
    }


def test_spread_hands_new_customers_out_evenly_over_active_counsellors(
    import_file, counsellor, other_counsellor
):
    CounsellorFactory(username="gone", is_active=False)

    import_file(leads(7), assign=A.SPREAD)

    shares = Counter(Customer.objects.values_list("assigned_to__username", flat=True))
    assert sorted(shares.values()) == [3, 4]
    assert set(shares) == {"arjun", "meera"}
    assert CustomerAssignmentHistory.objects.count() == 7


def test_spread_stays_even_across_batches(import_file, monkeypatch, counsellor, other_counsellor):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    third = CounsellorFactory(username="kiran")

    import_file(leads(10), assign=A.SPREAD)

    shares = Counter(Customer.objects.values_list("assigned_to", flat=True))
    assert set(shares) == {counsellor.pk, other_counsellor.pk, third.pk}
    assert sorted(shares.values()) == [3, 3, 4]


def test_spread_never_assigns_to_inactive_counsellors(import_file, counsellor):
    former = CounsellorFactory(username="gone", is_active=False)

    import_file(leads(5), assign=A.SPREAD)

    assert not Customer.objects.filter(assigned_to=former).exists()
    assert Customer.objects.filter(assigned_to=counsellor).count() == 5


def test_spread_with_no_active_counsellor_leaves_customers_unassigned(import_file, manager):
    CounsellorFactory(username="gone", is_active=False)

    file_import = import_file(leads(2), assign=A.SPREAD)

    assert file_import.status == FileImport.Status.DONE
    assert Customer.objects.unassigned().count() == 2


def test_only_new_customers_are_assigned(import_file, counsellor, other_counsellor):
    known = CustomerFactory(phone_number="+919876500000", assigned_to=other_counsellor)
    unassigned = CustomerFactory(phone_number="+919876500001", assigned_to=None)

    file_import = import_file(leads(4), assign=A.ONE, assign_to=counsellor)

    assert file_import.created_records == 2
    known.refresh_from_db()
    unassigned.refresh_from_db()
    assert known.assigned_to == other_counsellor
    assert unassigned.assigned_to is None
    assert CustomerAssignmentHistory.objects.count() == 2
    assert Customer.objects.filter(assigned_to=counsellor).count() == 2


def test_a_re_import_assigns_nothing_more(import_file, counsellor, other_counsellor):
    import_file(leads(4), assign=A.SPREAD)
    before = dict(Customer.objects.values_list("pk", "assigned_to"))

    import_file(leads(4), assign=A.ONE, assign_to=counsellor)

    assert dict(Customer.objects.values_list("pk", "assigned_to")) == before
    assert CustomerAssignmentHistory.objects.count() == 4
