"""Logout at /accounts/logout/: POST only, and it really ends the session."""

import pytest

from accounts.factories import PASSWORD

LOGOUT_URL = "/accounts/logout/"


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_get_is_not_allowed_and_keeps_the_user_logged_in(counsellor_client):
    response = counsellor_client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert is_logged_in(counsellor_client)


@pytest.mark.parametrize("persona", ["manager", "counsellor"])
def test_post_ends_the_session_and_goes_to_the_login_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(LOGOUT_URL)

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert not is_logged_in(client)
    after = client.get("/dashboard/")
    assert (after.status_code, after["Location"]) == (302, "/accounts/login/?next=/dashboard/")


def test_every_page_offers_logout_as_a_post_form(counsellor_client):
    response = counsellor_client.get("/dashboard/")

    assert '<form method="post" action="/accounts/logout/">' in response.content.decode()


def test_logging_in_after_a_stale_logout_lands_on_the_dashboard(client, counsellor):
    """Press "Log out" on a page left open after the session ended, then log in again."""
    login_url = client.post(LOGOUT_URL)["Location"]
    login_page = client.get(login_url)

    response = client.post(
        login_url,
        {
            "username": counsellor.username,
            "password": PASSWORD,
            "next": login_page.context["next"],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1] == ("/dashboard/", 302)
