"""POST /users/<id>/reactivate/: someone who was deactivated may log in again."""

import uuid

import pytest

from accounts.factories import PASSWORD
from customers.tests.pages import login_url_for, messages_of


def url(user):
    return f"/users/{user.pk}/reactivate/"


@pytest.fixture
def former(counsellor):
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])
    return counsellor


def test_get_is_not_allowed(manager_client, former):
    assert manager_client.get(url(former)).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, former):
    response = client.post(url(former))

    assert (response.status_code, response["Location"]) == (302, login_url_for(url(former)))
    former.refresh_from_db()
    assert not former.is_active


def test_a_counsellor_may_not_reactivate_anyone(client, other_counsellor, former):
    client.force_login(other_counsellor)

    response = client.post(url(former))

    assert response.status_code == 403
    former.refresh_from_db()
    assert not former.is_active


def test_an_unknown_person_is_not_found(manager_client):
    assert manager_client.post(f"/users/{uuid.uuid4()}/reactivate/").status_code == 404


def test_a_manager_reactivates_a_counsellor_who_can_log_in_again(manager_client, client, former):
    response = manager_client.post(url(former))

    assert (response.status_code, response["Location"]) == (302, f"/users/{former.pk}/edit/")
    former.refresh_from_db()
    assert former.is_active
    assert messages_of(response) == ["Arjun Menon is active again and can log in."]
    manager_client.logout()
    assert client.login(username=former.username, password=PASSWORD)


def test_reactivating_someone_active_says_so(manager_client, counsellor):
    response = manager_client.post(url(counsellor))

    assert response.status_code == 302
    assert messages_of(response) == ["Arjun Menon was already active."]
