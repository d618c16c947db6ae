"""Customer.change_status and its QuerySet twin: one history row per real change, none otherwise."""

from datetime import timedelta

from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

S = Customer.Status


def backdate(customer, days=3):
    """Push updated_at into the past so a later write visibly moves it."""
    earlier = timezone.now() - timedelta(days=days)
    Customer.objects.filter(pk=customer.pk).update(updated_at=earlier)
    customer.refresh_from_db()
    return earlier


def test_change_status_records_who_moved_it_from_what_to_what_and_why(customer, counsellor):
    changed = customer.change_status(S.VALID, by=counsellor, note="Verified on call")

    assert changed is True
    customer.refresh_from_db()
    assert customer.status == S.VALID
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.previous_status, row.new_status) == (S.NEW, S.VALID)
    assert row.changed_by == counsellor
    assert row.notes == "Verified on call"


def test_change_status_to_the_current_status_records_nothing(customer, counsellor):
    earlier = backdate(customer)

    changed = customer.change_status(S.NEW, by=counsellor, note="Still new")

    assert changed is False
    customer.refresh_from_db()
    assert customer.updated_at == earlier
    assert not CustomerStatusHistory.objects.exists()


def test_each_change_adds_one_row_that_starts_where_the_last_ended(customer, counsellor):
    customer.change_status(S.VALID, by=counsellor)
    customer.change_status(S.VALID, by=counsellor)
    customer.change_status(S.PLAN_PRESENTED, by=counsellor)

    rows = customer.status_history.order_by("changed_at")
    assert [(r.previous_status, r.new_status) for r in rows] == [
        (S.NEW, S.VALID),
        (S.VALID, S.PLAN_PRESENTED),
    ]


def test_change_status_moves_updated_at(customer, counsellor):
    earlier = backdate(customer)

    customer.change_status(S.VALID, by=counsellor)

    customer.refresh_from_db()
    assert customer.updated_at > earlier


def test_change_status_writes_only_the_status(customer, counsellor):
    customer.name = "Unsaved edit"

    customer.change_status(S.VALID, by=counsellor)

    customer.refresh_from_db()
    assert customer.name == "Anjali Nair"


def test_bulk_change_status_records_one_row_per_customer_that_really_changed(manager):
    to_move = CustomerFactory.create_batch(3, status=S.NEW)
    already_there = CustomerFactory(status=S.VALID)
    outside = CustomerFactory(status=S.NEW)

    changed = Customer.objects.filter(
        pk__in=[c.pk for c in [*to_move, already_there]]
    ).change_status(S.VALID, by=manager, note="Verified in bulk")

    assert changed == 3
    rows = CustomerStatusHistory.objects.all()
    assert sorted(r.customer_id for r in rows) == sorted(c.pk for c in to_move)
    assert {(r.previous_status, r.new_status, r.changed_by, r.notes) for r in rows} == {
        (S.NEW, S.VALID, manager, "Verified in bulk")
    }
    outside.refresh_from_db()
    assert outside.status == S.NEW


def test_bulk_change_status_keeps_each_customers_own_previous_status(manager):
    customers = [
        CustomerFactory(status=S.NEW),
        CustomerFactory(status=S.INVALID),
        CustomerFactory(status=S.CALL_NOT_ATTENDED),
    ]

    Customer.objects.filter(pk__in=[c.pk for c in customers]).change_status(S.VALID, by=manager)

    previous = dict(CustomerStatusHistory.objects.values_list("customer_id", "previous_status"))
    assert previous == {c.pk: c.status for c in customers}
    assert set(Customer.objects.values_list("status", flat=True)) == {S.VALID}


def test_bulk_change_status_moves_updated_at_only_where_it_changed(manager):
    moved, unchanged = CustomerFactory(status=S.NEW), CustomerFactory(status=S.VALID)
    moved_before, unchanged_before = backdate(moved), backdate(unchanged)

    Customer.objects.filter(pk__in=[moved.pk, unchanged.pk]).change_status(S.VALID, by=manager)

    moved.refresh_from_db()
    unchanged.refresh_from_db()
    assert moved.updated_at > moved_before
    assert unchanged.updated_at == unchanged_before


def test_bulk_change_status_where_nothing_changes_returns_zero_and_records_nothing(manager):
    CustomerFactory.create_batch(2, status=S.VALID)

    assert Customer.objects.all().change_status(S.VALID, by=manager) == 0
    assert Customer.objects.none().change_status(S.INTERESTED, by=manager) == 0
    assert not CustomerStatusHistory.objects.exists()


def test_bulk_change_status_larger_than_one_chunk_records_every_customer(manager):
    Customer.objects.bulk_create(
        Customer(name=f"Lead {n}", phone_number=f"+9197{n:08d}") for n in range(1001)
    )

    changed = Customer.objects.all().change_status(S.INVALID, by=manager)

    assert changed == 1001
    assert CustomerStatusHistory.objects.count() == 1001
    assert CustomerStatusHistory.objects.values("customer").distinct().count() == 1001
