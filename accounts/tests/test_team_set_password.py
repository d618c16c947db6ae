"""/users/<id>/password/: a manager sets a new password for someone; their sessions end."""

import uuid

import pytest
from django.test import Client

from accounts.factories import PASSWORD, ManagerFactory
from customers.tests.pages import login_url_for, messages_of

NEW_PASSWORD = "monsoon-kerala-1947"


def url(user):
    return f"/users/{user.pk}/password/"


def new_password(password=NEW_PASSWORD, confirmation=None):
    return {"new_password1": password, "new_password2": confirmation or password}


def test_anonymous_is_sent_to_login_and_nothing_changes(client, counsellor):
    response = client.post(url(counsellor), new_password())

    assert (response.status_code, response["Location"]) == (302, login_url_for(url(counsellor)))
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD)


@pytest.mark.parametrize("whom", ["counsellor", "other_counsellor", "manager"])
def test_a_counsellor_may_not_set_passwords(counsellor_client, request, whom):
    person = request.getfixturevalue(whom)

    assert counsellor_client.get(url(person)).status_code == 403
    assert counsellor_client.post(url(person), new_password()).status_code == 403
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_unknown_person_is_not_found(manager_client):
    assert manager_client.get(f"/users/{uuid.uuid4()}/password/").status_code == 404


def test_the_form_asks_for_the_new_password_twice(manager_client, counsellor):
    response = manager_client.get(url(counsellor))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["new_password1", "new_password2"]


def test_a_manager_sets_a_new_password_and_only_that_one_works(manager_client, client, counsellor):
    response = manager_client.post(url(counsellor), new_password())

    assert (response.status_code, response["Location"]) == (302, f"/users/{counsellor.pk}/edit/")
    counsellor.refresh_from_db()
    assert counsellor.check_password(NEW_PASSWORD)
    assert messages_of(response) == [
        "New password set for Arjun Menon. They have been logged out everywhere; "
        "give them the new password."
    ]
    assert not client.login(username=counsellor.username, password=PASSWORD)
    assert client.login(username=counsellor.username, password=NEW_PASSWORD)


def test_the_persons_open_sessions_end(manager_client, counsellor):
    browser = Client()
    assert browser.login(username=counsellor.username, password=PASSWORD)

    manager_client.post(url(counsellor), new_password())

    response = browser.get("/customers/")
    assert (response.status_code, response["Location"]) == (302, login_url_for("/customers/"))


def test_a_manager_setting_their_own_password_stays_logged_in(manager_client, manager):
    response = manager_client.post(url(manager), new_password())

    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert manager_client.get("/users/").status_code == 200


def test_an_inactive_persons_password_can_be_set_ready_for_their_return(manager_client):
    former = ManagerFactory(username="former", is_active=False)

    manager_client.post(url(former), new_password())

    former.refresh_from_db()
    assert former.check_password(NEW_PASSWORD)
    assert not former.is_active


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        (NEW_PASSWORD, "monsoon-kerala-1948", "The two password fields didn’t match."),
        ("Gx7#q", None, "This password is too short."),
        ("password", None, "This password is too common."),
        ("82947163", None, "This password is entirely numeric."),
        ("arjun1947", None, "The password is too similar to the"),
        ("", None, "This field is required."),
    ],
)
def test_a_weak_or_mismatched_password_is_refused(
    manager_client, counsellor, password, confirmation, message
):
    response = manager_client.post(url(counsellor), new_password(password, confirmation))

    assert response.status_code == 200
    assert message in response.content.decode()
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD)
