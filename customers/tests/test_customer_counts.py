"""The customer counts the database keeps (CustomerCount, written by triggers) always equal
counting the customers, whatever path wrote them; and `stages` holds every status each
customer has had."""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import FOLD_AFTER, Customer, CustomerCount
from imports import sql

S = Customer.Status


def kept() -> Counter:
    return Counter({(a, s, st): n for a, s, st, n in CustomerCount.objects.current()})


def assert_counts_agree():
    """The kept counts are what counting the customer table says."""
    actual = Customer.objects.order_by().values_list("assigned_to_id", "status", "stages")
    assert kept() == Counter({(a, s, st): n for a, s, st, n in actual.annotate(n=Count("pk"))})


@pytest.mark.django_db
def test_a_new_customer_is_counted_with_its_status_as_a_stage(counsellor):
    customer = CustomerFactory(assigned_to=counsellor, status=S.VALID)

    customer.refresh_from_db()
    assert customer.stages == Customer.stage_bit(S.VALID)
    assert kept() == Counter({(counsellor.pk, S.VALID, customer.stages): 1})


@pytest.mark.django_db
def test_status_changes_add_stages_and_move_the_count(manager, counsellor):
    customer = CustomerFactory(assigned_to=counsellor)

    customer.change_status(S.INTERESTED, by=counsellor)
    customer.change_status(S.NOT_INTERESTED, by=counsellor)

    customer.refresh_from_db()
    assert customer.stages == sum(
        Customer.stage_bit(s) for s in (S.NEW, S.INTERESTED, S.NOT_INTERESTED)
    )
    assert_counts_agree()
    assert Customer.objects.ever_reached(S.INTERESTED).get() == customer
    assert not Customer.objects.ever_reached(S.ADMISSION).exists()


@pytest.mark.django_db
def test_bulk_status_changes_and_assignments_keep_the_counts(manager, counsellor, other_counsellor):
    CustomerFactory.create_batch(30)

    def first(customers, n):
        return Customer.objects.filter(pk__in=list(customers.values_list("pk", flat=True)[:n]))

    first(Customer.objects.all(), 20).assign_to(counsellor, by=manager)
    Customer.objects.filter(assigned_to=counsellor).change_status(S.VALID, by=manager)
    first(Customer.objects.filter(status=S.VALID), 5).assign_to(other_counsellor, by=manager)
    Customer.objects.filter(assigned_to=other_counsellor).change_status(S.ADMISSION, by=manager)
    first(Customer.objects.unassigned(), 3).distribute([counsellor, other_counsellor], by=manager)

    assert_counts_agree()
    assert sum(kept().values()) == 30
    assert Customer.objects.ever_reached(S.VALID).count() == 20


@pytest.mark.django_db
def test_single_assignments_edits_and_deletes_keep_the_counts(manager, counsellor):
    customers = CustomerFactory.create_batch(4)

    customers[0].assign_to(counsellor, by=manager)
    customers[1].name = "Renamed"
    customers[1].save()
    customers[2].delete()

    assert_counts_agree()
    assert sum(kept().values()) == 3


@pytest.mark.django_db
def test_import_writes_keep_the_counts(manager):
    now = timezone.now()
    pks = sql.insert_customers(
        [
            {"phone_number": f"+9198765432{n:02d}", "name": f"Lead {n}", "area": "Kochi"}
            | {"date": None, "remark": ""}
            for n in range(12)
        ],
        now,
    )
    existing = sql.existing_customers([f"+9198765432{n:02d}" for n in range(3)])
    sql.update_customers(
        [
            c | {"name": "Updated", "area": None, "date": None, "remark": None}
            for c in existing.values()
        ],
        now,
    )

    assert len(pks) == 12
    assert kept() == Counter({(None, S.NEW, Customer.stage_bit(S.NEW)): 12})
    assert_counts_agree()


@pytest.mark.django_db
def test_folding_keeps_the_totals_and_shrinks_the_table(manager, counsellor):
    customers = CustomerFactory.create_batch(10)
    for customer in customers:
        customer.assign_to(counsellor, by=manager)
        customer.change_status(S.VALID, by=counsellor)
    before = kept()

    CustomerCount.objects.fold()

    assert kept() == before
    assert CustomerCount.objects.count() == len(before)
    assert_counts_agree()


@pytest.mark.django_db
def test_reading_folds_the_deltas_once_they_pile_up(settings, manager, counsellor):
    customer = CustomerFactory()
    customer.refresh_from_db()
    rows = [CustomerCount(assigned_to_id=None, status=S.NEW, stages=1, n=s) for s in (1, -1)]
    CustomerCount.objects.bulk_create(rows * (FOLD_AFTER // 2 + 1))

    CustomerCount.objects.current()

    assert CustomerCount.objects.count() == 1
    assert kept() == Counter({(None, S.NEW, customer.stages): 1})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's flush truncates")
@pytest.mark.django_db(transaction=True)
def test_after_a_flush_that_emptied_the_counts_first_the_counts_are_true_again(counsellor):
    """Django's flush empties tables in no fixed order; on SQLite, emptying the counts before
    the customers let the customers' delete trigger leave negative counts for the next test.
    Flush ends with post_migrate, on which the counts are derived again."""
    from django.core.management.sql import emit_post_migrate_signal

    CustomerFactory.create_batch(3, assigned_to=counsellor)
    CustomerCount.objects.all().delete()  # the order flush may take
    Customer.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert_counts_agree()
    assert not CustomerCount.objects.current()
