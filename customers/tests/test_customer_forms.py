"""Forms validate and normalize: phone numbers, duplicates, Indian dates, status and bulk picks."""

from datetime import date

import pytest

from customers.factories import CustomerFactory
from customers.forms import (
    AssignForm,
    BulkAssignForm,
    BulkStatusForm,
    CounsellorCustomerForm,
    CustomerForm,
    NewCustomerForm,
    StatusForm,
)
from customers.models import Customer


def customer_data(**overrides):
    return {
        "name": "Kavya Pillai",
        "phone_number": "98765 43210",
        "area": "Kochi",
        "date": "",
        "remark": "",
        "notes": "",
        **overrides,
    }


def test_customer_form_stores_the_phone_number_in_e164(db):
    form = CustomerForm(customer_data(phone_number="098765-43210"))

    assert form.is_valid(), form.errors
    customer = form.save()
    customer.refresh_from_db()
    assert customer.phone_number == "+919876543210"


def test_customer_form_leaves_status_and_assignment_to_their_recorded_paths():
    assert set(CustomerForm.base_fields) == {
        "name",
        "phone_number",
        "area",
        "date",
        "remark",
        "notes",
        "seen",
    }
    assert set(NewCustomerForm.base_fields) == {*CustomerForm.base_fields, "assigned_to"}


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12345", "“12345” is not a valid phone number."),
        ("not a phone", "“not a phone” is not a phone number."),
        ("", "This field is required."),
    ],
)
def test_customer_form_rejects_an_invalid_phone_number(db, typed, message):
    form = CustomerForm(customer_data(phone_number=typed))

    assert not form.is_valid()
    assert form.errors["phone_number"] == [message]


def test_duplicate_phone_error_names_the_customer_and_their_counsellor(customer):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+919876543210")

    form = CustomerForm(customer_data(phone_number="+91 98765 43210"))

    assert not form.is_valid()
    [error] = form.errors["phone_number"]
    assert "Anjali Nair" in error
    assert "Arjun Menon" in error
    assert f'href="/customers/{customer.pk}/"' in error


def test_duplicate_phone_error_says_when_nobody_has_the_customer_yet(db):
    CustomerFactory(name="Kavya", phone_number="+919876543210")

    form = CustomerForm(customer_data())

    assert not form.is_valid()
    assert "nobody yet" in form.errors["phone_number"][0]


def test_duplicate_phone_error_escapes_the_names_it_shows(db):
    CustomerFactory(name="<script>alert(1)</script>", phone_number="+919876543210")

    form = CustomerForm(customer_data())

    assert not form.is_valid()
    error = form.errors["phone_number"][0]
    assert "<script>" not in error
    assert "&lt;script&gt;" in error


def test_editing_a_customer_keeps_their_own_number_without_a_duplicate_error(db):
    kavya = CustomerFactory(name="Kavya", phone_number="+919876543210")

    form = CustomerForm(customer_data(name="Kavya P.", phone_number="98765 43210"), instance=kavya)

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("31/01/2026", date(2026, 1, 31)),
        # Day first: an Indian 01/02 is the first of February, never 2 January.
        ("01/02/2026", date(2026, 2, 1)),
        ("15-08-2026", date(2026, 8, 15)),
        ("2026-08-15", date(2026, 8, 15)),
    ],
)
def test_enquiry_date_is_read_day_first(db, typed, expected):
    form = CustomerForm(customer_data(date=typed))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == expected


def test_an_impossible_date_is_rejected(db):
    form = CustomerForm(customer_data(date="31/02/2026"))

    assert not form.is_valid()
    assert "date" in form.errors


def test_counsellors_may_edit_only_remark_and_notes():
    assert set(CounsellorCustomerForm.base_fields) == {"remark", "notes", "seen"}


def test_only_active_counsellors_can_be_chosen_as_assignee(
    manager, counsellor, other_counsellor, former_counsellor
):
    for form in [
        NewCustomerForm(),
        AssignForm(),
        BulkAssignForm(queryset=Customer.objects.all(), user=None),
    ]:
        assert list(form.fields["assigned_to"].queryset) == [counsellor, other_counsellor]


def test_status_form_refuses_a_report_that_changes_nothing(customer):
    form = StatusForm({"status": "NEW", "notes": ""}, customer=customer)

    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("Nothing to save: the customer is already “New”.")


def test_status_form_accepts_the_same_status_with_a_note(customer):
    assert StatusForm({"status": "NEW", "notes": "Rang, no answer"}, customer=customer).is_valid()


def test_status_form_refuses_an_unknown_status(customer):
    form = StatusForm({"status": "ENROLLED"}, customer=customer)

    assert not form.is_valid()
    assert "status" in form.errors


def test_status_form_starts_at_the_current_status(customer):
    assert StatusForm(customer=customer)["status"].value() == Customer.Status.NEW


def test_bulk_form_needs_rows_or_select_all(db):
    form = BulkStatusForm({"status": "VALID"}, queryset=Customer.objects.all(), user=None)

    assert not form.is_valid()
    assert form.non_field_errors() == ["Select at least one customer first."]


def test_bulk_form_rejects_an_id_that_is_not_a_uuid(customer):
    form = BulkStatusForm(
        {"status": "VALID", "customer_ids": [str(customer.pk), "not-a-uuid"]},
        queryset=Customer.objects.all(),
        user=None,
    )

    assert not form.is_valid()
    assert "customer_ids" in form.errors
