"""POST /customers/<id>/status/: the detail page's status form, plain and htmx."""

import uuid

import pytest

from customers.models import Customer, CustomerNote, CustomerStatusHistory

from .pages import login_url_for, messages_of, template_names

S = Customer.Status
HTMX = {"HX-Request": "true"}


def url(customer):
    return f"/customers/{customer.pk}/status/"


def test_get_is_not_allowed(counsellor_client, customer):
    assert counsellor_client.get(url(customer)).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, customer):
    response = client.post(url(customer), {"status": "VALID"})

    assert response.status_code == 302
    assert response.url == login_url_for(url(customer))
    customer.refresh_from_db()
    assert customer.status == S.NEW


def test_a_counsellor_cannot_change_another_counsellors_customer(
    counsellor_client, others_customer
):
    response = counsellor_client.post(url(others_customer), {"status": "VALID"})

    assert response.status_code == 404
    others_customer.refresh_from_db()
    assert others_customer.status == S.NEW
    assert not CustomerStatusHistory.objects.exists()


def test_an_unknown_customer_is_not_found(manager_client):
    response = manager_client.post(f"/customers/{uuid.uuid4()}/status/", {"status": "VALID"})

    assert response.status_code == 404


def test_a_counsellor_changes_their_customers_status_with_a_note(
    counsellor_client, customer, counsellor
):
    response = counsellor_client.post(
        url(customer), {"status": "VALID", "notes": "Verified on call"}
    )

    assert response.status_code == 302
    assert response.url == f"/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert customer.status == S.VALID
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.previous_status, row.new_status, row.changed_by, row.notes) == (
        S.NEW,
        S.VALID,
        counsellor,
        "Verified on call",
    )
    assert messages_of(response) == ["Saved: “Valid”."]


def test_a_manager_changes_any_customers_status(manager_client, others_customer, manager):
    response = manager_client.post(url(others_customer), {"status": "INTERESTED"})

    assert response.status_code == 302
    others_customer.refresh_from_db()
    assert others_customer.status == S.INTERESTED
    assert CustomerStatusHistory.objects.get().changed_by == manager


def test_the_current_status_with_a_note_adds_a_note_but_no_history_row(
    counsellor_client, customer, counsellor
):
    response = counsellor_client.post(url(customer), {"status": "NEW", "notes": "Still new"})

    assert response.status_code == 302
    assert not CustomerStatusHistory.objects.exists()
    note = CustomerNote.objects.get(customer=customer)
    assert (note.body, note.author, note.status_change) == ("Still new", counsellor, None)


def test_posting_nothing_new_is_refused_and_records_nothing(counsellor_client, customer):
    response = counsellor_client.post(url(customer), {"status": "NEW", "notes": ""})

    assert response.status_code == 400
    assert "Nothing to save: the customer is already “New”." in response.content.decode()
    assert not CustomerStatusHistory.objects.exists()
    assert not CustomerNote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"status": "ENROLLED"},
        {"status": ""},
        {"notes": "No status at all"},
        {"status": "VALID", "notes": "x" * 2001},
    ],
    ids=["unknown status", "empty status", "missing status", "note too long"],
)
def test_bad_input_is_shown_back_and_changes_nothing(counsellor_client, customer, data):
    response = counsellor_client.post(url(customer), data)

    assert response.status_code == 400
    assert response.context["status_form"].errors
    customer.refresh_from_db()
    assert customer.status == S.NEW
    assert not CustomerStatusHistory.objects.exists()


def test_htmx_gets_the_updated_status_panel(counsellor_client, customer):
    response = counsellor_client.post(
        url(customer), {"status": "VALID", "notes": "Verified"}, headers=HTMX
    )

    assert response.status_code == 200
    assert template_names(response)[0] == "customers/_status_panel.html"
    assert b"<html" not in response.content
    assert response.context["status_form"]["status"].value() == S.VALID
    customer.refresh_from_db()
    assert customer.status == S.VALID
    assert CustomerStatusHistory.objects.filter(customer=customer).count() == 1


def test_htmx_with_bad_input_gets_the_panel_with_the_error(counsellor_client, customer):
    response = counsellor_client.post(url(customer), {"status": "NEW"}, headers=HTMX)

    assert template_names(response)[0] == "customers/_status_panel.html"
    assert "Nothing to save: the customer is already “New”." in response.content.decode()
    assert not CustomerStatusHistory.objects.exists()
