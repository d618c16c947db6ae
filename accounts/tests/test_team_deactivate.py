"""POST /users/<id>/deactivate/: the person is locked out at once; their customers stay theirs."""

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.factories import PASSWORD, ManagerFactory
from customers.tests.pages import login_url_for, messages_of


def url(user):
    return f"/users/{user.pk}/deactivate/"


@pytest.fixture
def counsellors_browser(counsellor):
    """The counsellor, logged in through the login page in a browser of their own."""
    browser = Client()
    assert browser.login(username=counsellor.username, password=PASSWORD)
    assert browser.get("/accounts/profile/").status_code == 200
    return browser


def test_get_is_not_allowed(manager_client, counsellor):
    assert manager_client.get(url(counsellor)).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, counsellor):
    response = client.post(url(counsellor))

    assert (response.status_code, response["Location"]) == (302, login_url_for(url(counsellor)))
    counsellor.refresh_from_db()
    assert counsellor.is_active


@pytest.mark.parametrize("whom", ["counsellor", "other_counsellor", "manager"])
def test_a_counsellor_may_not_deactivate_anyone(counsellor_client, request, whom):
    person = request.getfixturevalue(whom)

    response = counsellor_client.post(url(person))

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active


def test_an_unknown_person_is_not_found(manager_client):
    assert manager_client.post(f"/users/{uuid.uuid4()}/deactivate/").status_code == 404


def test_a_manager_deactivates_a_counsellor_whose_customers_stay_assigned(
    manager_client, counsellor, customer
):
    response = manager_client.post(url(counsellor))

    assert (response.status_code, response["Location"]) == (302, f"/users/{counsellor.pk}/edit/")
    counsellor.refresh_from_db()
    assert not counsellor.is_active
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert messages_of(response) == [
        "Arjun Menon is deactivated and logged out everywhere. "
        "Their customers stay assigned to them until you reassign them."
    ]
    assert "1 customer to reassign" in manager_client.get("/users/").content.decode()


def test_the_counsellors_open_session_stops_working_at_once(
    manager_client, counsellor, counsellors_browser
):
    manager_client.post(url(counsellor))

    response = counsellors_browser.get("/customers/")

    assert (response.status_code, response["Location"]) == (302, login_url_for("/customers/"))


def test_reactivating_does_not_bring_the_old_session_back(
    manager_client, counsellor, counsellors_browser
):
    manager_client.post(url(counsellor))
    manager_client.post(f"/users/{counsellor.pk}/reactivate/")

    response = counsellors_browser.get("/customers/")

    assert (response.status_code, response["Location"]) == (302, login_url_for("/customers/"))
    assert counsellors_browser.login(username=counsellor.username, password=PASSWORD)


def test_other_peoples_sessions_are_left_alone(
    manager_client, counsellor, other_counsellor, counsellors_browser
):
    meeras_browser = Client()
    meeras_browser.force_login(other_counsellor)
    sessions_before = Session.objects.count()

    manager_client.post(url(counsellor))

    assert Session.objects.count() == sessions_before - 1
    assert meeras_browser.get("/customers/").status_code == 200
    assert manager_client.get("/users/").status_code == 200


def test_a_deactivated_counsellor_cannot_log_in_again(client, manager_client, counsellor):
    manager_client.post(url(counsellor))
    manager_client.logout()

    response = client.post(
        "/accounts/login/", {"username": counsellor.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_manager_cannot_deactivate_themselves(manager_client, manager):
    ManagerFactory(username="deepa")

    response = manager_client.post(url(manager))

    assert (response.status_code, response["Location"]) == (302, f"/users/{manager.pk}/edit/")
    manager.refresh_from_db()
    assert manager.is_active
    assert messages_of(response) == ["You cannot deactivate your own account."]


def test_a_manager_deactivates_another_manager(manager_client):
    deepa = ManagerFactory(username="deepa", first_name="Deepa", last_name="Shah")

    manager_client.post(url(deepa))

    deepa.refresh_from_db()
    assert not deepa.is_active


def test_deactivating_someone_already_inactive_says_so(manager_client, counsellor):
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])

    response = manager_client.post(url(counsellor))

    assert response.status_code == 302
    assert messages_of(response) == ["Arjun Menon was already inactive."]
