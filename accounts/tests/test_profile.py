"""/accounts/profile/: everyone changes their own name and email, and finds the password page."""

import pytest

from accounts.models import User
from customers.tests.pages import form_data_from, login_url_for, messages_of

URL = "/accounts/profile/"


@pytest.fixture(params=["manager", "counsellor"])
def user(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, login_url_for(URL))


def test_the_page_shows_name_and_email_and_links_to_the_password_change(user_client):
    response = user_client.get(URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["first_name", "last_name", "email"]
    assert 'href="/accounts/password/"' in response.content.decode()


def test_every_page_links_to_the_profile(user_client):
    html = user_client.get("/accounts/password/").content.decode()

    assert 'href="/accounts/profile/"' in html


def test_everyone_changes_their_own_name_and_email(user_client, user):
    response = user_client.post(
        URL, {"first_name": "Sita", "last_name": "Ram", "email": "sita@example.com"}
    )

    assert (response.status_code, response["Location"]) == (302, URL)
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Sita", "Ram", "sita@example.com")
    assert messages_of(response) == ["Your profile is saved."]
    assert "Sita Ram" in user_client.get("/accounts/password/").content.decode()


def test_submitting_the_form_unchanged_changes_nothing(user_client, user):
    page = user_client.get(URL)

    response = user_client.post(URL, form_data_from(page, "profile-form"))

    assert response.status_code == 302
    before = (user.first_name, user.last_name, user.email)
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == before


def test_role_username_and_status_cannot_be_changed_here(client, counsellor):
    client.force_login(counsellor)

    client.post(
        URL,
        {
            "first_name": "Arjun",
            "email": "arjun@example.com",
            "role": User.Role.MANAGER,
            "username": "boss",
            "is_active": "",
            "is_superuser": "on",
        },
    )

    counsellor.refresh_from_db()
    assert (counsellor.role, counsellor.username, counsellor.is_active) == (
        User.Role.SALES,
        "arjun",
        True,
    )
    assert not counsellor.is_superuser


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter a first name."),
        ({"first_name": "x" * 151}, "first_name", "at most 150 characters"),
        ({"email": "sita@"}, "email", "Enter a valid email address."),
    ],
)
def test_wrong_input_is_explained_and_nothing_is_saved(user_client, user, changes, field, message):
    data = {"first_name": "Sita", "last_name": "Ram", "email": "sita@example.com", **changes}

    response = user_client.post(URL, data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    user.refresh_from_db()
    assert user.last_name != "Ram"
