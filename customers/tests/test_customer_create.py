"""GET/POST /customers/new/: managers add customers; the phone is normalized and unique."""

from datetime import date

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory

from .pages import login_url_for

URL = "/customers/new/"


def new_customer(**overrides):
    return {
        "name": "Kavya Pillai",
        "phone_number": "98765 43210",
        "area": "Kochi",
        "date": "31/01/2026",
        "remark": "Asked about B.Tech fees",
        "notes": "",
        "assigned_to": "",
        **overrides,
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, db, method):
    response = getattr(client, method)(URL)

    assert response.status_code == 302
    assert response.url == login_url_for(URL)
    assert not Customer.objects.exists()


# Counsellors adding walk-ins: test_customer_walk_in.py.


def test_a_manager_gets_the_empty_form(manager_client):
    response = manager_client.get(URL)

    assert response.status_code == 200
    assert not response.context["form"].is_bound


def test_a_manager_adds_and_assigns_a_customer(manager_client, manager, counsellor):
    response = manager_client.post(URL, new_customer(assigned_to=str(counsellor.pk)))

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response.url == f"/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert customer.name == "Kavya Pillai"
    assert customer.phone_number == "+919876543210"
    assert customer.date == date(2026, 1, 31)
    assert customer.status == Customer.Status.NEW
    assert customer.assigned_to == counsellor
    row = CustomerAssignmentHistory.objects.get()
    assert (row.customer, row.previous_assignee, row.new_assignee, row.changed_by) == (
        customer,
        None,
        counsellor,
        manager,
    )
    assert not CustomerStatusHistory.objects.exists()


def test_a_customer_added_without_a_counsellor_has_no_assignment_history(manager_client):
    response = manager_client.post(URL, new_customer())

    assert response.status_code == 302
    assert Customer.objects.get().assigned_to is None
    assert not CustomerAssignmentHistory.objects.exists()


def test_the_status_cannot_be_set_on_the_form(manager_client):
    manager_client.post(URL, new_customer(status="ADMISSION"))

    assert Customer.objects.get().status == Customer.Status.NEW


def test_a_number_already_entered_is_refused_and_names_who_has_it(manager_client, customer):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+919876543210")

    response = manager_client.post(URL, new_customer(phone_number="098765-43210"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "This number already belongs to" in content
    assert "Anjali Nair" in content
    assert "Arjun Menon" in content
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"phone_number": "12345"}, "phone_number"),
        ({"phone_number": ""}, "phone_number"),
        ({"date": "2026/31/01"}, "date"),
    ],
    ids=["invalid phone", "missing phone", "unreadable date"],
)
def test_bad_input_is_shown_back_and_nothing_is_added(manager_client, overrides, field):
    response = manager_client.post(URL, new_customer(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Customer.objects.exists()


def test_an_inactive_counsellor_cannot_be_given_a_new_customer(manager_client, former_counsellor):
    response = manager_client.post(URL, new_customer(assigned_to=str(former_counsellor.pk)))

    assert response.status_code == 200
    assert "assigned_to" in response.context["form"].errors
    assert not Customer.objects.exists()
    assert not CustomerAssignmentHistory.objects.exists()


def test_new_customers_keep_unique_phone_numbers_across_formats(manager_client):
    CustomerFactory(phone_number="+919876543210")

    for typed in ["9876543210", "+91 98765 43210", "919876543210"]:
        manager_client.post(URL, new_customer(phone_number=typed))

    assert Customer.objects.count() == 1
