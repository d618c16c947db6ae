"""Sessions: a new key at login, the end of every session on deactivation (with either session
store), and an idle timeout that using the site keeps pushing back."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.factories import PASSWORD
from accounts.middleware import SEEN_AT

CACHED_DB = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "/accounts/login/"


def logged_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_logged_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


def test_logging_in_gives_the_browser_a_new_session_key(client, counsellor):
    # A session from before the login, as a visitor to the login page could have been handed.
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key

    response = client.post(LOGIN_URL, {"username": counsellor.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.cookies["sessionid"].value != key_before
    assert not Session.objects.filter(session_key=key_before).exists()


@pytest.fixture(params=["database", "redis"])
def session_store(request, settings):
    """Each SESSION_STORE; "redis" is the cached_db engine, here over a local-memory cache."""
    if request.param == "redis":
        settings.SESSION_ENGINE = CACHED_DB
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "sessions-under-test",
            }
        }
    return request.param


def test_deactivating_a_user_ends_their_sessions(session_store, manager, counsellor):
    phone, laptop = logged_in_as(counsellor), logged_in_as(counsellor)
    assert is_logged_in(phone) and is_logged_in(laptop)

    counsellor.deactivate(by=manager)
    counsellor.reactivate(by=manager)

    # Reactivated, the old sessions still do not work: they were deleted, not just refused.
    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)


def test_deactivating_a_user_leaves_other_peoples_sessions_alone(
    session_store, manager, counsellor, other_counsellor
):
    colleague = logged_in_as(other_counsellor)

    counsellor.deactivate(by=manager)

    assert is_logged_in(colleague)


def test_the_session_cookie_lasts_the_idle_timeout(client, counsellor, settings):
    response = client.post(LOGIN_URL, {"username": counsellor.username, "password": PASSWORD})

    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_IDLE_MINUTES * 60
    assert response.cookies["sessionid"]["httponly"]


def expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def age_session(client, seconds: int):
    """Make the session look as if its last use was `seconds` ago."""
    session = client.session
    session[SEEN_AT] = int(time.time()) - seconds
    session.save()
    earlier = timezone.now() + datetime.timedelta(seconds=session.get_expiry_age() - seconds)
    Session.objects.filter(session_key=session.session_key).update(expire_date=earlier)


def test_using_the_site_pushes_the_timeout_back(counsellor_client, settings):
    age_session(counsellor_client, settings.SESSION_REFRESH_SECONDS)
    before = expiry(counsellor_client)

    response = counsellor_client.get("/dashboard/")

    assert response.status_code == 200
    assert expiry(counsellor_client) > before
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_requests_in_quick_succession_do_not_save_the_session_each_time(
    counsellor_client, settings
):
    counsellor_client.get("/dashboard/")
    before = expiry(counsellor_client)

    response = counsellor_client.get("/dashboard/")

    assert "sessionid" not in response.cookies
    assert expiry(counsellor_client) == before


def test_a_session_left_idle_past_the_timeout_has_ended(counsellor_client):
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = counsellor_client.get("/dashboard/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/dashboard/",
    )
