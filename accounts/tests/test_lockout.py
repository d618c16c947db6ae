"""Login lockout (django-axes): repeated failures for one username from one address lock that
pair out for a while, on our own login page; nobody else is affected, and nothing tells an
unknown username from a wrong password."""

import re

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from accounts.factories import PASSWORD

LOGIN_URL = "/accounts/login/"
LIMIT = 5  # the default, LOGIN_FAILURE_LIMIT
LOCKED_MESSAGE = "Too many failed logins"


def attempt(client, username, password="wrong-password", **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **headers)


def fail(client, username, times, **headers):
    for _ in range(times):
        response = attempt(client, username, **headers)
    return response


def is_logged_in(client):
    return "_auth_user_id" in client.session


def page_text(response, username) -> str:
    """The page with what legitimately differs removed: the CSRF token and the typed username."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(username, "USERNAME")


def test_failures_below_the_limit_only_show_the_usual_error(client, counsellor):
    response = fail(client, counsellor.username, LIMIT - 1)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert LOCKED_MESSAGE not in response.content.decode()


def test_the_failure_that_reaches_the_limit_locks_out_with_a_clear_message(client, counsellor):
    response = fail(client, counsellor.username, LIMIT)

    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "registration/login.html"
    html = response.content.decode()
    assert "Too many failed logins. Logging in as “arjun” from your network is paused" in html
    assert "for 15 minutes" in html
    assert 'name="password"' in html  # still our login page, with its form


def test_a_locked_out_user_cannot_log_in_even_with_the_right_password(client, counsellor):
    fail(client, counsellor.username, LIMIT)

    response = attempt(client, counsellor.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not is_logged_in(client)


def test_the_lockout_is_configurable(client, counsellor, settings):
    settings.AXES_FAILURE_LIMIT = 2

    assert attempt(client, counsellor.username).status_code == 200
    assert attempt(client, counsellor.username).status_code == 429


def test_after_the_cool_off_the_user_can_log_in_again(client, counsellor, settings):
    fail(client, counsellor.username, LIMIT)
    # The lockout started LOGIN_LOCKOUT_MINUTES ago.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)

    response = attempt(client, counsellor.username, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_trying_again_while_locked_out_does_not_extend_the_lockout(client, counsellor, settings):
    fail(client, counsellor.username, LIMIT)
    locked_at = AccessAttempt.objects.get().attempt_time

    fail(client, counsellor.username, 3)

    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_another_user_from_the_same_address_can_still_log_in(client, counsellor, manager):
    fail(client, counsellor.username, LIMIT)

    response = attempt(client, manager.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_the_same_user_from_another_address_can_still_log_in(client, counsellor):
    fail(client, counsellor.username, LIMIT, REMOTE_ADDR="203.0.113.7")

    response = attempt(client, counsellor.username, PASSWORD, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_clears_earlier_failures(client, counsellor):
    fail(client, counsellor.username, LIMIT - 1)
    assert attempt(client, counsellor.username, PASSWORD).status_code == 302
    client.logout()

    response = fail(client, counsellor.username, LIMIT - 1)

    assert response.status_code == 200
    assert attempt(client, counsellor.username, PASSWORD).status_code == 302


def test_spaces_around_the_username_do_not_buy_more_attempts(client, counsellor):
    # Django strips the username before authenticating, and axes counts what was authenticated.
    for variant in ["arjun", " arjun", "arjun ", "  arjun", "arjun  "]:
        response = attempt(client, variant)

    assert response.status_code == 429
    assert attempt(client, counsellor.username, PASSWORD).status_code == 429


def test_an_overlong_username_is_an_ordinary_failed_login(client, db):
    # Nothing limits the login form's username; axes' table holds 255 characters.
    response = attempt(client, "x" * 300)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == "x" * 255


def test_overlong_usernames_are_locked_out_like_any_other(client, db):
    response = fail(client, "x" * 300, LIMIT)

    assert response.status_code == 429


def test_unknown_username_and_wrong_password_look_the_same(client, counsellor, db):
    wrong_password = attempt(client, "arjun")
    unknown_user = attempt(client, "nobody")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert page_text(wrong_password, "arjun") == page_text(unknown_user, "nobody")


def test_unknown_username_is_locked_out_the_same_way(client, counsellor, db):
    wrong_password = fail(client, "arjun", LIMIT)
    unknown_user = fail(client, "nobody", LIMIT)

    assert wrong_password.status_code == unknown_user.status_code == 429
    assert page_text(wrong_password, "arjun") == page_text(unknown_user, "nobody")


# The client's address: the connection's, unless BEHIND_PROXY trusts our proxies' header.


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, counsellor):
    for n in range(LIMIT):
        attempt(client, counsellor.username, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = attempt(client, counsellor.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1


def test_behind_a_proxy_clients_sharing_it_are_told_apart(client, counsellor, behind_proxy):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, counsellor.username, LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)

    elsewhere = attempt(
        client, counsellor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy
    )

    assert elsewhere.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_behind_a_proxy_entries_the_client_wrote_are_ignored(client, counsellor, behind_proxy):
    # Our proxy appends the real address to whatever X-Forwarded-For the client sent.
    for n in range(LIMIT):
        attempt(
            client,
            counsellor.username,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.2",
        )

    response = attempt(
        client,
        counsellor.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
