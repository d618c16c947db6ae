"""`manage.py seed_demo`: a believable team and 300 customers, only in an empty DEBUG database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone

from accounts.models import User
from customers.models import (
    Customer,
    CustomerAssignmentHistory,
    CustomerNote,
    CustomerStatusHistory,
)
from customers.phones import normalize_phone

S = Customer.Status


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Everything seed_demo could touch, to compare before and after a run."""
    return {
        "users": sorted(User.objects.values_list("pk", "last_login", "password")),
        "customers": sorted(Customer.objects.values_list("pk", "status", "updated_at")),
        "status_history": CustomerStatusHistory.objects.count(),
        "assignment_history": CustomerAssignmentHistory.objects.count(),
    }


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    return seed()


def test_it_creates_one_manager_three_counsellors_and_300_customers(seeded):
    assert User.objects.managers().count() == 1
    assert User.objects.counsellors().count() == 3
    assert Customer.objects.count() == 300
    assert "Created demo team and 300 customers." in seeded
    for username in ["manager", "arjun", "meera", "rahul"]:
        assert username in seeded


def test_the_demo_manager_can_use_the_admin(seeded):
    manager = User.objects.managers().get()
    assert manager.is_staff and manager.is_superuser
    assert manager.check_password("Welcome@2026")


def test_customers_are_spread_over_statuses_and_counsellors(seeded):
    assert set(Customer.objects.values_list("status", flat=True)) == set(S.values)
    for counsellor in User.objects.counsellors():
        assert Customer.objects.filter(assigned_to=counsellor).exists()
    assert Customer.objects.unassigned().exists()


def test_every_phone_number_is_a_valid_e164_mobile(seeded):
    for phone in Customer.objects.values_list("phone_number", flat=True):
        assert normalize_phone(phone) == phone


def test_each_customers_history_walks_from_new_to_their_current_status(seeded):
    for customer in Customer.objects.prefetch_related("status_history"):
        steps = sorted(customer.status_history.all(), key=lambda row: row.changed_at)
        if customer.status == S.NEW:
            assert steps == []
            continue
        assert steps[0].previous_status == S.NEW
        assert steps[-1].new_status == customer.status
        for before, after in zip(steps, steps[1:], strict=False):
            assert before.new_status == after.previous_status


def test_each_assigned_customer_has_its_assignment_recorded(seeded):
    assigned = Customer.objects.filter(assigned_to__isnull=False)
    assert CustomerAssignmentHistory.objects.count() == assigned.count()
    for customer in assigned.prefetch_related("assignment_history"):
        [row] = customer.assignment_history.all()
        assert (row.previous_assignee, row.new_assignee) == (None, customer.assigned_to)


def test_history_happens_after_the_enquiry_and_never_in_the_future(seeded):
    now = timezone.now()
    for model in [CustomerStatusHistory, CustomerAssignmentHistory]:
        bounds = model.objects.aggregate(first=Min("changed_at"), last=Max("changed_at"))
        assert bounds["last"] <= now
        for row in model.objects.select_related("customer"):
            assert row.customer.created_at <= row.changed_at <= row.customer.updated_at


def test_a_second_run_changes_nothing(seeded):
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "already has users" in output


def test_with_debug_off_it_creates_nothing(db, settings):
    settings.DEBUG = False

    output = seed()

    assert not User.objects.exists()
    assert not Customer.objects.exists()
    assert "DEBUG is off" in output


def test_demo_customers_have_notes_and_follow_ups_for_my_day(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    with_notes = CustomerStatusHistory.objects.exclude(notes="")
    assert CustomerNote.objects.filter(status_change__in=with_notes).count() == with_notes.count()
    waiting = Customer.objects.filter(status__in=Customer.FOLLOW_UP_REQUIRED)
    assert waiting.exists()
    assert not waiting.filter(follow_up_on=None).exists()
    assert Customer.objects.follow_up_overdue().exists()
    assert (
        not Customer.objects.filter(status__in=Customer.FINAL_STATUSES)
        .exclude(follow_up_on=None)
        .exists()
    )
