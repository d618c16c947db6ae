"""The login page at /accounts/login/: both roles get in, wrong or inactive accounts do not."""

import pytest

from accounts.factories import PASSWORD, CounsellorFactory

LOGIN_URL = "/accounts/login/"


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_login_page_asks_for_username_and_password(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["username", "password"]
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html


@pytest.mark.parametrize("persona", ["manager", "counsellor"])
def test_both_roles_log_in_and_land_on_the_dashboard(client, request, persona):
    user = request.getfixturevalue(persona)

    response = client.post(
        LOGIN_URL, {"username": user.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302), ("/dashboard/", 302)]
    assert response.status_code == 200
    assert response.context["user"] == user
    assert is_logged_in(client)


def test_login_returns_to_the_page_that_was_asked_for(client, counsellor):
    sent_to_login = client.get("/customers/")

    response = client.post(
        sent_to_login["Location"],
        {"username": counsellor.username, "password": PASSWORD, "next": "/customers/"},
    )

    assert sent_to_login["Location"] == "/accounts/login/?next=/customers/"
    assert (response.status_code, response["Location"]) == (302, "/customers/")


def test_login_never_sends_the_user_to_another_site(client, counsellor):
    response = client.post(
        LOGIN_URL,
        {"username": counsellor.username, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert (response.status_code, response["Location"]) == (302, "/")


def test_wrong_password_shows_an_error_and_does_not_log_in(client, counsellor):
    response = client.post(LOGIN_URL, {"username": counsellor.username, "password": "wrong-one"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not is_logged_in(client)


def test_unknown_username_shows_the_same_error(client, db):
    response = client.post(LOGIN_URL, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not is_logged_in(client)


def test_inactive_user_cannot_log_in_even_with_the_right_password(client, db):
    former = CounsellorFactory(username="former", is_active=False)

    response = client.post(LOGIN_URL, {"username": former.username, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not is_logged_in(client)


def test_inactive_user_is_logged_out_of_an_open_session(client, counsellor):
    client.force_login(counsellor)
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])

    response = client.get("/dashboard/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/dashboard/",
    )
