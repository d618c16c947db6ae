"""Password change at /accounts/password/ for both roles, with Django's validators on."""

import pytest

from accounts.factories import PASSWORD

CHANGE_URL = "/accounts/password/"
NEW_PASSWORD = "monsoon-kerala-1947"


@pytest.fixture(params=["manager", "counsellor"])
def user(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def change(client, new_password, *, old_password=PASSWORD, confirmation=None):
    return client.post(
        CHANGE_URL,
        {
            "old_password": old_password,
            "new_password1": new_password,
            "new_password2": new_password if confirmation is None else confirmation,
        },
    )


def test_form_asks_for_the_old_and_new_password_twice(user_client):
    response = user_client.get(CHANGE_URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "old_password",
        "new_password1",
        "new_password2",
    ]


def test_password_is_changed_and_the_user_stays_logged_in(user_client, user):
    response = change(user_client, NEW_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/accounts/password/done/")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user_client.get("/accounts/password/done/").status_code == 200
    assert user_client.get("/dashboard/").status_code == 200


def test_only_the_new_password_works_at_the_login_page(user_client, user):
    change(user_client, NEW_PASSWORD)
    user_client.logout()

    with_old = user_client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    with_new = user_client.post(
        "/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}
    )

    assert (with_old.status_code, with_new.status_code) == (200, 302)


def test_wrong_old_password_is_refused(user_client, user):
    response = change(user_client, NEW_PASSWORD, old_password="not-my-password")

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_mismatched_confirmation_is_refused(user_client, user):
    response = change(user_client, NEW_PASSWORD, confirmation="monsoon-kerala-1948")

    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("weak_password", "message"),
    [
        ("Gx7#q", "This password is too short. It must contain at least 8 characters."),
        ("password", "This password is too common."),
        ("qwerty123", "This password is too common."),
        ("8294716350", "This password is entirely numeric."),
    ],
)
def test_weak_password_is_refused_with_the_validators_message(
    user_client, user, weak_password, message
):
    response = change(user_client, weak_password)

    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_like_the_username_is_refused(client, counsellor):
    client.force_login(counsellor)

    response = change(client, "arjun1947")

    assert response.status_code == 200
    assert "The password is too similar to the" in response.content.decode()
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD)
