"""Customer.assign_to and its QuerySet twin: who had the customer, who has it now, who decided."""

from datetime import timedelta

from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory


def test_assigning_an_unassigned_customer_records_it(manager, counsellor):
    customer = CustomerFactory()

    changed = customer.assign_to(counsellor, by=manager)

    assert changed is True
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    row = CustomerAssignmentHistory.objects.get(customer=customer)
    assert (row.previous_assignee, row.new_assignee, row.changed_by) == (None, counsellor, manager)


def test_reassigning_records_both_counsellors(customer, manager, counsellor, other_counsellor):
    customer.assign_to(other_counsellor, by=manager)

    customer.refresh_from_db()
    assert customer.assigned_to == other_counsellor
    row = CustomerAssignmentHistory.objects.get(customer=customer)
    assert (row.previous_assignee, row.new_assignee) == (counsellor, other_counsellor)


def test_assigning_none_unassigns_and_records_it(customer, manager, counsellor):
    changed = customer.assign_to(None, by=manager)

    assert changed is True
    customer.refresh_from_db()
    assert customer.assigned_to is None
    row = CustomerAssignmentHistory.objects.get(customer=customer)
    assert (row.previous_assignee, row.new_assignee) == (counsellor, None)


def test_assigning_to_the_current_counsellor_records_nothing(customer, manager, counsellor):
    assert customer.assign_to(counsellor, by=manager) is False
    unassigned = CustomerFactory()
    assert unassigned.assign_to(None, by=manager) is False

    assert not CustomerAssignmentHistory.objects.exists()


def test_assigning_moves_updated_at(customer, manager, other_counsellor):
    earlier = timezone.now() - timedelta(days=3)
    Customer.objects.filter(pk=customer.pk).update(updated_at=earlier)
    customer.refresh_from_db()

    customer.assign_to(other_counsellor, by=manager)

    customer.refresh_from_db()
    assert customer.updated_at > earlier


def test_bulk_assign_records_one_row_per_customer_that_really_changed(
    manager, counsellor, other_counsellor
):
    unassigned = CustomerFactory()
    others = CustomerFactory(assigned_to=other_counsellor)
    already_mine = CustomerFactory(assigned_to=counsellor)
    outside = CustomerFactory()
    picked = Customer.objects.filter(pk__in=[unassigned.pk, others.pk, already_mine.pk])

    changed = picked.assign_to(counsellor, by=manager)

    assert changed == 2
    rows = {r.customer_id: r for r in CustomerAssignmentHistory.objects.all()}
    assert set(rows) == {unassigned.pk, others.pk}
    assert rows[unassigned.pk].previous_assignee is None
    assert rows[others.pk].previous_assignee == other_counsellor
    assert {(r.new_assignee, r.changed_by) for r in rows.values()} == {(counsellor, manager)}
    assert set(picked.values_list("assigned_to", flat=True)) == {counsellor.pk}
    outside.refresh_from_db()
    assert outside.assigned_to is None


def test_bulk_unassign_records_only_the_customers_that_had_someone(manager, counsellor):
    assigned = CustomerFactory.create_batch(2, assigned_to=counsellor)
    unassigned = CustomerFactory()

    changed = Customer.objects.all().assign_to(None, by=manager)

    assert changed == 2
    rows = CustomerAssignmentHistory.objects.all()
    assert sorted(r.customer_id for r in rows) == sorted(c.pk for c in assigned)
    assert {(r.previous_assignee, r.new_assignee) for r in rows} == {(counsellor, None)}
    unassigned.refresh_from_db()
    assert unassigned.assigned_to is None
    assert not Customer.objects.filter(assigned_to__isnull=False).exists()


def test_bulk_assign_where_nothing_changes_returns_zero(manager, counsellor):
    CustomerFactory.create_batch(2, assigned_to=counsellor)

    assert Customer.objects.all().assign_to(counsellor, by=manager) == 0
    assert not CustomerAssignmentHistory.objects.exists()
