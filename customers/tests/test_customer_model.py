"""The Customer row itself: defaults, the unique phone, links, and what deleting people does."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from customers.factories import CustomerFactory
from customers.models import Customer


def test_a_new_customer_starts_as_new(db):
    customer = Customer.objects.create(name="Kavya", phone_number="+919876543210")

    customer.refresh_from_db()
    assert customer.status == Customer.Status.NEW


def test_the_same_phone_number_cannot_be_stored_twice(db):
    Customer.objects.create(name="Kavya", phone_number="+919876543210")

    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(name="Kavya again", phone_number="+919876543210")

    assert Customer.objects.count() == 1


def test_statuses_are_the_enrollment_stages_in_business_order():
    assert [value for value, _ in Customer.Status.choices] == [
        "NEW",
        "INVALID",
        "VALID",
        "CALL_NOT_ATTENDED",
        "PLAN_PRESENTED",
        "INTERESTED",
        "NOT_INTERESTED",
        "FOLLOW_UP",
        "SHORTLISTED",
        "CAMPUS_VISIT",
        "REGISTRATION",
        "ADMISSION",
    ]


def test_display_phone_and_whatsapp_link_come_from_the_stored_number():
    customer = Customer(phone_number="+919876543210")

    assert customer.display_phone == "+91 98765 43210"
    assert customer.whatsapp_url == "https://wa.me/919876543210"


def test_a_customer_without_a_name_is_shown_by_phone():
    assert str(Customer(phone_number="+919876543210")) == "+91 98765 43210"
    assert str(Customer(name="Kavya", phone_number="+919876543210")) == "Kavya"


def test_deleting_a_counsellor_leaves_their_customers_unassigned(customer, counsellor):
    counsellor.delete()

    customer.refresh_from_db()
    assert customer.assigned_to is None


def test_someone_who_changed_a_status_cannot_be_deleted_so_history_survives(counsellor):
    customer = CustomerFactory(assigned_to=counsellor)
    customer.change_status(Customer.Status.VALID, by=counsellor)

    with pytest.raises(ProtectedError):
        counsellor.delete()

    assert customer.status_history.count() == 1
