"""POST /customers/<id>/assign/: a manager gives one customer to a counsellor, or to nobody."""

import uuid

import pytest

from customers.models import CustomerAssignmentHistory

from .pages import login_url_for, messages_of


def url(customer):
    return f"/customers/{customer.pk}/assign/"


def test_get_is_not_allowed(manager_client, customer):
    assert manager_client.get(url(customer)).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, customer, other_counsellor):
    response = client.post(url(customer), {"assigned_to": str(other_counsellor.pk)})

    assert response.status_code == 302
    assert response.url == login_url_for(url(customer))
    customer.refresh_from_db()
    assert customer.assigned_to != other_counsellor


@pytest.mark.parametrize("whose", ["customer", "others_customer"])
def test_a_counsellor_may_not_assign_customers(
    counsellor_client, counsellor, other_counsellor, whose, request
):
    target = request.getfixturevalue(whose)
    before = target.assigned_to

    response = counsellor_client.post(url(target), {"assigned_to": str(counsellor.pk)})

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.assigned_to == before
    assert not CustomerAssignmentHistory.objects.exists()


def test_an_unknown_customer_is_not_found(manager_client, counsellor):
    response = manager_client.post(
        f"/customers/{uuid.uuid4()}/assign/", {"assigned_to": str(counsellor.pk)}
    )

    assert response.status_code == 404


def test_a_manager_reassigns_a_customer(
    manager_client, customer, manager, counsellor, other_counsellor
):
    response = manager_client.post(url(customer), {"assigned_to": str(other_counsellor.pk)})

    assert response.status_code == 302
    assert response.url == f"/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert customer.assigned_to == other_counsellor
    row = CustomerAssignmentHistory.objects.get()
    assert (row.customer, row.previous_assignee, row.new_assignee, row.changed_by) == (
        customer,
        counsellor,
        other_counsellor,
        manager,
    )
    assert messages_of(response) == ["Assigned to Meera Iyer."]


def test_a_manager_unassigns_a_customer(manager_client, customer, counsellor):
    response = manager_client.post(url(customer), {"assigned_to": ""})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.assigned_to is None
    row = CustomerAssignmentHistory.objects.get()
    assert (row.previous_assignee, row.new_assignee) == (counsellor, None)
    assert messages_of(response) == ["Assigned to nobody."]


def test_assigning_to_the_current_counsellor_records_nothing(manager_client, customer, counsellor):
    response = manager_client.post(url(customer), {"assigned_to": str(counsellor.pk)})

    assert response.status_code == 302
    assert not CustomerAssignmentHistory.objects.exists()
    assert messages_of(response) == []


@pytest.mark.parametrize(
    "assignee, message",
    [
        ("former_counsellor", "Select a valid choice"),
        ("manager", "Select a valid choice"),
        ("not-a-uuid", "“not-a-uuid” is not a valid UUID."),
        (str(uuid.uuid4()), "Select a valid choice"),
    ],
    ids=["inactive counsellor", "a manager", "not a uuid", "unknown user"],
)
def test_an_assignee_who_cannot_take_customers_is_refused(
    manager_client, customer, counsellor, assignee, message, request
):
    if assignee in {"former_counsellor", "manager"}:
        assignee = str(request.getfixturevalue(assignee).pk)

    response = manager_client.post(url(customer), {"assigned_to": assignee})

    assert response.status_code == 302
    assert any(message in shown for shown in messages_of(response)), messages_of(response)
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert not CustomerAssignmentHistory.objects.exists()


def test_a_post_without_the_assignee_field_changes_nothing(manager_client, customer, counsellor):
    # Unassigning is an explicit choice ("" from the form's "Unassigned" option); a request that
    # leaves the field out entirely is malformed and must not silently take the customer away.
    response = manager_client.post(url(customer), {})

    assert response.status_code in {302, 400}
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert not CustomerAssignmentHistory.objects.exists()
