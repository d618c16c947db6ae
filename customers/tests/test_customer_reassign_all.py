"""/customers/reassign/: move every open customer of one counsellor to the others."""

import pytest

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory

from .pages import login_url_for

URL = "/customers/reassign/"
S = Customer.Status


@pytest.fixture
def leaving(former_counsellor):
    """Vivek left with 6 open customers and 2 admissions."""
    CustomerFactory.create_batch(6, assigned_to=former_counsellor, status=S.INTERESTED)
    CustomerFactory.create_batch(2, assigned_to=former_counsellor, status=S.ADMISSION)
    return former_counsellor


def test_anonymous_goes_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == login_url_for(URL)


def test_a_counsellor_is_forbidden(counsellor_client, leaving):
    assert counsellor_client.get(URL).status_code == 403
    response = counsellor_client.post(URL, {"from_counsellor": str(leaving.pk), "confirm": "on"})
    assert response.status_code == 403
    assert leaving.customers.count() == 8


def test_the_form_preselects_the_counsellor_from_the_link(manager_client, leaving):
    response = manager_client.get(URL, {"from": str(leaving.pk)})

    assert response.status_code == 200
    assert response.context["form"]["from_counsellor"].value() == str(leaving.pk)


def test_the_preview_changes_nothing(manager_client, leaving, counsellor, other_counsellor):
    response = manager_client.post(URL, {"from_counsellor": str(leaving.pk)})

    assert response.status_code == 200
    assert response.context["total"] == 6
    assert {row["counsellor"] for row in response.context["rows"]} == {counsellor, other_counsellor}
    assert leaving.customers.count() == 8


def test_confirming_moves_only_open_customers_evenly_and_records_it(
    manager_client, manager, leaving, counsellor, other_counsellor
):
    response = manager_client.post(URL, {"from_counsellor": str(leaving.pk), "confirm": "on"})

    assert response.status_code == 302
    assert list(leaving.customers.values_list("status", flat=True)) == [S.ADMISSION] * 2
    assert counsellor.customers.count() == other_counsellor.customers.count() == 3
    rows = CustomerAssignmentHistory.objects.filter(previous_assignee=leaving)
    assert rows.count() == 6
    assert set(rows.values_list("changed_by", flat=True)) == {manager.pk}


def test_the_leaving_counsellor_cannot_receive_their_own(manager_client, counsellor):
    CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.NEW)
    CounsellorFactory(username="rahul")

    response = manager_client.post(
        URL,
        {
            "from_counsellor": str(counsellor.pk),
            "counsellors": [str(counsellor.pk)],
            "confirm": "on",
        },
    )

    assert response.status_code == 200
    assert "cannot receive their own customers" in response.content.decode()
    assert counsellor.customers.count() == 2


def test_an_unknown_counsellor_is_a_form_error(manager_client):
    response = manager_client.post(URL, {"from_counsellor": "not-a-uuid", "confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["from_counsellor"]
