"""Production settings are secure by default, read from the environment, and pass Django's
deployment checklist; local development over http://127.0.0.1 keeps working.

Settings cases import config.settings in a fresh interpreter with an environment built from
scratch (as tests/test_settings.py does); response cases use the test client.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.factories import PASSWORD

PROJECT_DIR = Path(__file__).resolve().parent.parent
# 50 characters of several kinds, as `check --deploy` wants (security.W009).
PRODUCTION_KEY = "k3Y-for-the-deploy-check_9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b"
PRODUCTION = {"DEBUG": "False", "SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": "cms.example.com"}

PRINT_SECURITY_SETTINGS = """
import json
import config.settings as s
names = [
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_AGE", "SESSION_ENGINE", "AXES_FAILURE_LIMIT", "BEHIND_PROXY", "PROXY_COUNT",
]
values = {name: getattr(s, name) for name in names}
values["AXES_COOLOFF_MINUTES"] = s.AXES_COOLOFF_TIME.total_seconds() / 60
values["CACHE_BACKEND"] = getattr(s, "CACHES", {}).get("default", {}).get("BACKEND")
print(json.dumps(values))
"""


def clean_env(**environ) -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environ}


def run(args, **environ):
    return subprocess.run(
        args,
        cwd=PROJECT_DIR,
        env=clean_env(**environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def security_settings(**environ) -> dict:
    result = run([sys.executable, "-c", PRINT_SECURITY_SETTINGS], **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_error(**environ) -> str:
    result = run([sys.executable, "-c", PRINT_SECURITY_SETTINGS], **environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_the_deploy_checklist_passes_with_production_settings():
    # manage.py would read a developer's .env (DEBUG=true) for anything not set here; the
    # production environment sets DEBUG itself, which wins.
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_with_debug_off_https_is_required_everywhere():
    settings = security_settings(**PRODUCTION)

    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31_536_000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["CSRF_COOKIE_HTTPONLY"] is True
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["SECURE_REFERRER_POLICY"] == "same-origin"


def test_with_debug_on_plain_http_on_127_0_0_1_works():
    settings = security_settings(DEBUG="true")

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0


def test_each_https_setting_can_be_overridden():
    settings = security_settings(
        **PRODUCTION,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="no",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="false",
    )

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_PRELOAD"] is False


def test_forwarded_proto_is_trusted_only_behind_a_proxy():
    assert security_settings(**PRODUCTION)["SECURE_PROXY_SSL_HEADER"] is None

    settings = security_settings(**PRODUCTION, BEHIND_PROXY="true", PROXY_COUNT="2")

    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (settings["BEHIND_PROXY"], settings["PROXY_COUNT"]) == (True, 2)


def test_lockout_and_idle_timeout_come_from_the_environment():
    settings = security_settings(
        **PRODUCTION, LOGIN_FAILURE_LIMIT="3", LOGIN_LOCKOUT_MINUTES="30", SESSION_IDLE_MINUTES="45"
    )

    assert settings["AXES_FAILURE_LIMIT"] == 3
    assert settings["AXES_COOLOFF_MINUTES"] == 30
    assert settings["SESSION_COOKIE_AGE"] == 45 * 60


def test_lockout_and_idle_timeout_defaults():
    settings = security_settings(**PRODUCTION)

    assert settings["AXES_FAILURE_LIMIT"] == 5
    assert settings["AXES_COOLOFF_MINUTES"] == 15
    assert settings["SESSION_COOKIE_AGE"] == 120 * 60


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOGIN_LOCKOUT_MINUTES", "0"),  # a lockout must end, and must exist
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("SESSION_IDLE_MINUTES", "0"),
        ("PROXY_COUNT", "0"),
        ("BEHIND_PROXY", "perhaps"),
        ("SECURE_HSTS_SECONDS", "a year"),
    ],
)
def test_a_value_that_makes_no_sense_is_a_configuration_error(name, value):
    assert name in settings_error(**PRODUCTION, **{name: value})


def test_sessions_are_in_the_database_by_default():
    settings = security_settings(**PRODUCTION)

    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert settings["CACHE_BACKEND"] is None


def test_sessions_can_be_read_from_redis_and_written_through_to_the_database():
    settings = security_settings(
        **PRODUCTION, SESSION_STORE="redis", REDIS_URL="redis://cache.internal:6379/0"
    )

    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert settings["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_the_redis_session_store_needs_a_redis_url():
    assert "REDIS_URL" in settings_error(**PRODUCTION, SESSION_STORE="redis")


def test_an_unknown_session_store_is_a_configuration_error():
    assert "SESSION_STORE must be database or redis" in settings_error(
        **PRODUCTION, SESSION_STORE="memcached"
    )


# --- What the responses carry --------------------------------------------------------------------


def test_pages_carry_the_security_headers(client, db):
    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/accounts/login/")

    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/accounts/login/",
    )


def test_behind_a_proxy_its_https_header_is_believed(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_without_a_proxy_a_forged_https_header_is_ignored(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None

    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 301


def test_login_sets_secure_http_only_cookies_in_production(client, counsellor, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True

    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": "arjun", "password": PASSWORD}, secure=True
    )

    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
