"""bench/dataset.py makes data the app could have made itself: valid unique phones, a history
for every customer past NEW, follow-ups exactly where a status needs one, logins that work.
It writes PostgreSQL-only SQL (generate_series, hashint8extended), so it is tested there."""

from collections import Counter
from itertools import pairwise

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Min, Q

from accounts.models import User
from bench.dataset import STATUS_MIX, fill
from customers.models import (
    Customer,
    CustomerAssignmentHistory,
    CustomerNote,
    CustomerStatusHistory,
)
from customers.phones import normalize_phone

CUSTOMERS = 500


@pytest.fixture
def loaded(db):
    if connection.vendor != "postgresql":
        pytest.skip("the generator's SQL is PostgreSQL's")
    return fill(CUSTOMERS, 5, password="bench-pass-2026")


def test_people_can_log_in_with_the_password(loaded):
    people = User.objects.order_by("username")
    assert [u.username for u in people] == [*(f"counsellor{n:02d}" for n in range(1, 6)), "manager"]
    assert all(u.check_password("bench-pass-2026") for u in people)
    assert User.objects.get(username="manager").is_manager


def test_phones_are_unique_valid_e164(loaded):
    phones = list(Customer.objects.values_list("phone_number", flat=True))
    assert len(phones) == CUSTOMERS == len(set(phones))
    assert all(normalize_phone(phone) == phone for phone in phones)


def test_status_mix_is_plausible(loaded):
    counts = Counter(Customer.objects.values_list("status", flat=True))
    assert set(counts) == set(Customer.Status.values)
    for status, per_mille in STATUS_MIX.items():
        expected = CUSTOMERS * per_mille / 1000
        assert abs(counts[status] - expected) < 3 * expected**0.5 + 3, status
    unassigned = Customer.objects.filter(assigned_to=None).count()
    assert 0.04 * CUSTOMERS < unassigned < 0.16 * CUSTOMERS


def test_every_customer_past_new_has_its_history(loaded):
    customers = Customer.objects.annotate(
        changes=Count("status_history"),
        first_change=Min("status_history__changed_at"),
        last_change=Max("status_history__changed_at"),
    )
    assert not customers.filter(status=Customer.Status.NEW, changes__gt=0).exists()
    assert not customers.exclude(status=Customer.Status.NEW).filter(changes=0).exists()
    assert not customers.filter(changes__gt=3).exists()
    assert not customers.filter(first_change__lte=F("created_at")).exists()
    assert not customers.filter(updated_at__lt=F("created_at")).exists()
    for customer in customers.exclude(status=Customer.Status.NEW):
        moves = list(customer.status_history.order_by("changed_at"))
        assert moves[0].previous_status == Customer.Status.NEW
        assert moves[-1].new_status == customer.status
        assert all(a.new_status == b.previous_status for a, b in pairwise(moves))
        assert {m.changed_by_id for m in moves} == {
            customer.assigned_to_id or User.objects.get(username="manager").pk
        }


def test_assignments_and_notes_are_recorded(loaded):
    assigned = Customer.objects.exclude(assigned_to=None)
    latest = CustomerAssignmentHistory.objects.filter(customer__in=assigned).order_by(
        "customer", "-changed_at"
    )
    last_by_customer = {}
    for row in latest:
        last_by_customer.setdefault(row.customer_id, row.new_assignee_id)
    assert last_by_customer == dict(assigned.values_list("pk", "assigned_to_id"))
    assert 0.1 * CUSTOMERS < CustomerNote.objects.count() < 0.3 * CUSTOMERS


def test_follow_ups_exactly_where_a_status_needs_one(loaded):
    needing = Q(status__in=Customer.FOLLOW_UP_REQUIRED)
    assert not Customer.objects.filter(needing, follow_up_on=None).exists()
    assert not Customer.objects.exclude(needing).exclude(follow_up_on=None).exists()
    assert (
        not Customer.objects.filter(status__in=Customer.FINAL_STATUSES)
        .exclude(follow_up_on=None, follow_up_time=None)
        .exists()
    )


def test_growing_keeps_the_first_customers_and_adds_the_rest(loaded):
    before = dict(Customer.objects.values_list("pk", "phone_number"))
    history = CustomerStatusHistory.objects.count()

    grown = fill(CUSTOMERS + 100, 5)

    assert grown.customers == 100
    assert Customer.objects.count() == CUSTOMERS + 100
    assert dict(Customer.objects.filter(pk__in=before).values_list("pk", "phone_number")) == before
    assert CustomerStatusHistory.objects.count() == history + grown.status_rows
    assert fill(CUSTOMERS, 5).customers == 0  # never shrinks
