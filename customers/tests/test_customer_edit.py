"""GET/POST /customers/<id>/edit/: managers edit everything but status and assignment;
counsellors edit only the remark and notes of their own customers."""

import uuid
from datetime import date

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory

from .pages import login_url_for


def url(customer):
    return f"/customers/{customer.pk}/edit/"


def edited(**overrides):
    return {
        "name": "Anjali K. Nair",
        "phone_number": "+91 98765 43210",
        "area": "Ernakulam",
        "date": "01/02/2026",
        "remark": "Parent enquired",
        "notes": "Prefers evening calls",
        **overrides,
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, customer, method):
    response = getattr(client, method)(url(customer), edited() if method == "post" else None)

    assert response.status_code == 302
    assert response.url == login_url_for(url(customer))
    customer.refresh_from_db()
    assert customer.name == "Anjali Nair"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_counsellor_cannot_edit_another_counsellors_customer(
    counsellor_client, others_customer, method
):
    data = edited() if method == "post" else None
    response = getattr(counsellor_client, method)(url(others_customer), data)

    assert response.status_code == 404
    others_customer.refresh_from_db()
    assert others_customer.name == "Rohan Das"


def test_an_unknown_customer_is_not_found(manager_client):
    assert manager_client.get(f"/customers/{uuid.uuid4()}/edit/").status_code == 404


def test_a_manager_gets_the_full_form(manager_client, customer):
    response = manager_client.get(url(customer))

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "name",
        "phone_number",
        "area",
        "date",
        "remark",
        "notes",
        "seen",
    }


def test_a_manager_edits_a_customer(manager_client, others_customer):
    response = manager_client.post(url(others_customer), edited())

    assert response.status_code == 302
    assert response.url == f"/customers/{others_customer.pk}/"
    others_customer.refresh_from_db()
    assert others_customer.name == "Anjali K. Nair"
    assert others_customer.phone_number == "+919876543210"
    assert others_customer.area == "Ernakulam"
    assert others_customer.date == date(2026, 2, 1)
    assert others_customer.remark == "Parent enquired"
    assert others_customer.notes == "Prefers evening calls"


def test_editing_never_changes_status_or_assignment(manager_client, customer, other_counsellor):
    manager_client.post(
        url(customer), edited(status="ADMISSION", assigned_to=str(other_counsellor.pk))
    )

    customer.refresh_from_db()
    assert customer.status == Customer.Status.NEW
    assert customer.assigned_to != other_counsellor
    assert not CustomerStatusHistory.objects.exists()
    assert not CustomerAssignmentHistory.objects.exists()


def test_a_manager_cannot_give_a_customer_someone_elses_number(manager_client, customer):
    CustomerFactory(name="Kavya Pillai", phone_number="+919876543210")

    response = manager_client.post(url(customer), edited(phone_number="98765 43210"))

    assert response.status_code == 200
    assert "Kavya Pillai" in response.content.decode()
    customer.refresh_from_db()
    assert customer.phone_number != "+919876543210"


def test_a_counsellor_gets_only_remark_and_notes(counsellor_client, customer):
    response = counsellor_client.get(url(customer))

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"remark", "notes", "seen"}


def test_a_counsellor_edits_remark_and_notes_of_their_own_customer(counsellor_client, customer):
    phone = customer.phone_number

    response = counsellor_client.post(url(customer), edited())

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.remark == "Parent enquired"
    assert customer.notes == "Prefers evening calls"
    # Everything else is not theirs to change, whatever the request carries.
    assert customer.name == "Anjali Nair"
    assert customer.phone_number == phone
    assert customer.date is None
