"""Follow-up dates: required for some outcomes, cleared by final ones, never in the past."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerNote, CustomerStatusHistory

from .pages import messages_of

S = Customer.Status


def url(customer):
    return f"/customers/{customer.pk}/status/"


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


@pytest.mark.parametrize("status", [S.FOLLOW_UP, S.CALL_NOT_ATTENDED])
def test_these_outcomes_need_a_follow_up_date(counsellor_client, customer, status):
    response = counsellor_client.post(url(customer), {"status": status, "notes": "Rang"})

    assert response.status_code == 400
    assert "needs a follow-up date" in response.content.decode()
    customer.refresh_from_db()
    assert customer.status == S.NEW
    assert not CustomerStatusHistory.objects.exists()


def test_a_follow_up_is_saved_with_its_date_and_time(counsellor_client, customer):
    response = counsellor_client.post(
        url(customer),
        {"status": S.FOLLOW_UP, "follow_up_on": tomorrow().isoformat(), "follow_up_time": "16:30"},
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on, customer.follow_up_time) == (
        S.FOLLOW_UP,
        tomorrow(),
        time(16, 30),
    )


def test_a_date_in_the_past_is_refused(counsellor_client, customer):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = counsellor_client.post(
        url(customer), {"status": S.FOLLOW_UP, "follow_up_on": yesterday.isoformat()}
    )

    assert response.status_code == 400
    assert "The follow-up date is in the past." in response.content.decode()


def test_a_time_without_a_date_is_refused(counsellor_client, customer):
    response = counsellor_client.post(url(customer), {"status": S.VALID, "follow_up_time": "10:00"})

    assert response.status_code == 400
    assert "Choose the date for that follow-up time." in response.content.decode()


def test_the_follow_up_can_be_cleared(counsellor_client, customer):
    Customer.objects.filter(pk=customer.pk).update(status=S.INTERESTED, follow_up_on=tomorrow())

    response = counsellor_client.post(url(customer), {"status": S.INTERESTED, "follow_up_on": ""})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.follow_up_on is None
    assert not CustomerStatusHistory.objects.exists()


@pytest.mark.parametrize("final", Customer.FINAL_STATUSES)
def test_a_final_status_ends_the_follow_up(counsellor_client, customer, final):
    Customer.objects.filter(pk=customer.pk).update(
        status=S.FOLLOW_UP, follow_up_on=tomorrow(), follow_up_time=time(9, 0)
    )

    counsellor_client.post(url(customer), {"status": final, "notes": "Done"})

    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on, customer.follow_up_time) == (final, None, None)


def test_a_note_with_a_status_change_belongs_to_that_change(counsellor_client, customer):
    counsellor_client.post(url(customer), {"status": S.VALID, "notes": "Number verified"})

    note = CustomerNote.objects.get(customer=customer)
    assert note.status_change == CustomerStatusHistory.objects.get(customer=customer)
    # On the timeline the note shows with its status change, not twice.
    timeline = customer.timeline()
    assert [event.kind for event in timeline] == ["status"]


def test_bulk_follow_up_needs_a_date_and_sets_it_on_the_changed_customers(manager_client):
    moved = CustomerFactory.create_batch(2, status=S.INTERESTED)
    stays = CustomerFactory(status=S.FOLLOW_UP)
    ids = [str(c.pk) for c in [*moved, stays]]

    refused = manager_client.post(
        "/customers/status/", {"customer_ids": ids, "status": S.FOLLOW_UP}
    )
    manager_client.post(
        "/customers/status/",
        {"customer_ids": ids, "status": S.FOLLOW_UP, "follow_up_on": tomorrow().isoformat()},
    )

    assert messages_of(refused) == ["“Follow Up” needs a follow-up date: choose one."]
    assert {c.follow_up_on for c in Customer.objects.filter(pk__in=[m.pk for m in moved])} == {
        tomorrow()
    }
    stays.refresh_from_db()
    assert stays.follow_up_on is None  # its status did not change, so nothing was planned


def test_bulk_follow_up_refuses_a_past_date(manager_client):
    customer = CustomerFactory(status=S.INTERESTED)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = manager_client.post(
        "/customers/status/",
        {"customer_ids": [str(customer.pk)], "status": S.FOLLOW_UP, "follow_up_on": yesterday},
    )

    assert messages_of(response) == ["The follow-up date is in the past."]
    customer.refresh_from_db()
    assert customer.status == S.INTERESTED


def test_bulk_final_status_clears_follow_ups(manager_client, manager):
    customer = CustomerFactory(status=S.FOLLOW_UP, follow_up_on=tomorrow())

    manager_client.post(
        "/customers/status/", {"customer_ids": [str(customer.pk)], "status": S.NOT_INTERESTED}
    )

    customer.refresh_from_db()
    assert (customer.status, customer.follow_up_on) == (S.NOT_INTERESTED, None)
