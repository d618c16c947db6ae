"""Each customer carries its counsellor's name as the list shows it (kept by database
triggers), so the list sorts by counsellor from an index; it follows assignments and renames."""

import pytest

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer
from imports import sql


def names() -> dict:
    return dict(Customer.objects.values_list("name", "assignee_name"))


@pytest.mark.django_db
def test_the_name_follows_every_way_of_assigning(manager):
    asha = CounsellorFactory(first_name="Asha", last_name="Nair")
    ravi = CounsellorFactory(first_name="", last_name="", username="ravi")
    CustomerFactory(name="created assigned", assigned_to=asha)
    one = CustomerFactory(name="one by one")
    CustomerFactory(name="in bulk")
    CustomerFactory(name="unassigned later", assigned_to=asha)

    one.assign_to(ravi, by=manager)
    Customer.objects.filter(name="in bulk").assign_to(asha, by=manager)
    Customer.objects.get(name="unassigned later").assign_to(None, by=manager)

    assert names() == {
        "created assigned": "Asha Nair",
        "one by one": "ravi",
        "in bulk": "Asha Nair",
        "unassigned later": None,
    }


@pytest.mark.django_db
def test_renaming_a_counsellor_renames_their_customers(manager):
    asha = CounsellorFactory(first_name="Asha", last_name="Nair")
    CustomerFactory.create_batch(2, assigned_to=asha)

    asha.last_name = "Menon"
    asha.save()

    assert set(Customer.objects.values_list("assignee_name", flat=True)) == {"Asha Menon"}


@pytest.mark.django_db
def test_imported_customers_start_without_a_counsellor_name():
    from django.utils import timezone

    sql.insert_customers(
        [{"phone_number": "+919876543210", "name": "Lead", "area": "", "date": None, "remark": ""}],
        timezone.now(),
    )

    assert names() == {"Lead": None}


@pytest.mark.django_db
def test_the_list_sorts_by_counsellor_name_as_shown(manager_client):
    for first, customer in (("Zoya", "Z's"), ("Arun", "A's"), ("Meera", "M's")):
        CustomerFactory(name=customer, assigned_to=CounsellorFactory(first_name=first))

    response = manager_client.get("/customers/", {"sort": "assigned_to"})

    assert [c.name for c in response.context["page"].object_list] == ["A's", "M's", "Z's"]
