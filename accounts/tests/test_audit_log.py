"""The audit log ("cms.audit"): one JSON line per security-relevant event, naming the user and
the client address, never holding a password or a whole phone number."""

import json
import os
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.audit import mask_phone, mask_phones
from accounts.factories import PASSWORD
from customers.factories import CustomerFactory
from customers.models import Customer

LOGIN_URL = "/accounts/login/"
NEW_PASSWORD = "a-new-and-long-passphrase"
PHONE = "+919876543210"


def assert_never_leaks(audit_log, *secrets):
    text = audit_log.text()
    for secret in secrets:
        assert secret not in text


# --- The line itself ---------------------------------------------------------------------------


def test_each_event_is_one_line_of_json_with_time_user_and_address(audit_log, counsellor, client):
    client.post(LOGIN_URL, {"username": "arjun", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")

    (line,) = audit_log.text().splitlines()
    event = json.loads(line)
    assert event["time"].endswith("+00:00")
    assert event["event"] == "login"
    assert (event["user_id"], event["username"]) == (str(counsellor.pk), "arjun")
    assert event["address"] == "203.0.113.7"


def test_production_logging_writes_audit_lines_to_stdout():
    script = (
        "import django; django.setup();"
        "from accounts.audit import audit; audit('probe', reason='check', phone='+919876543210')"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "s",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if '"event"' in line]
    event = json.loads(line)
    assert (event["event"], event["reason"], event["phone"]) == ("probe", "check", "+91******3210")
    assert event["user_id"] is None and event["address"] is None


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+919876543210", "+91******3210"),
        ("9876543210", "******3210"),
        ("98765 43210", "******3210"),
        ("+91 98765-43210", "+91******3210"),
    ],
)
def test_phone_numbers_keep_only_their_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked
    assert mask_phones(f"call {phone} today") == f"call {masked} today"


@pytest.mark.parametrize("text", ["2025", "+91 98", "import 3f2a-1234567-89ab", "row 123456"])
def test_short_numbers_and_parts_of_ids_are_not_taken_for_phones(text):
    assert mask_phones(text) == text


# --- Logins ------------------------------------------------------------------------------------


def test_a_login_is_logged(audit_log, client, manager):
    client.post(LOGIN_URL, {"username": "manager", "password": PASSWORD})

    event = audit_log.one("login")
    assert (event["user_id"], event["username"]) == (str(manager.pk), "manager")
    assert event["address"] == "127.0.0.1"
    assert_never_leaks(audit_log, PASSWORD)


def test_a_failed_login_logs_the_username_but_never_the_password(audit_log, client, counsellor):
    client.post(LOGIN_URL, {"username": "arjun", "password": "my-secret-guess"})

    event = audit_log.one("login.failed")
    assert event["attempted_username"] == "arjun"
    assert event["user_id"] is None
    assert event["address"] == "127.0.0.1"
    assert event["locked_out"] is False
    assert_never_leaks(audit_log, "my-secret-guess", "********")


def test_a_phone_number_typed_as_the_username_is_masked(audit_log, client, db):
    client.post(LOGIN_URL, {"username": "9876543210", "password": "x"})

    assert audit_log.one("login.failed")["attempted_username"] == "******3210"
    assert_never_leaks(audit_log, "9876543210")


def test_an_overlong_typed_username_is_cut_short_in_the_log(audit_log, client, db):
    client.post(LOGIN_URL, {"username": "x" * 5000, "password": "x"})

    assert audit_log.one("login.failed")["attempted_username"] == "x" * 150 + "…"


def test_a_lockout_is_logged_with_the_address_behind_the_proxy(
    audit_log, client, counsellor, settings
):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": "arjun", "password": "guess"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
        )

    event = audit_log.one("login.locked_out")
    assert event["attempted_username"] == "arjun"
    assert event["address"] == "203.0.113.7"
    assert (event["failure_limit"], event["lockout_minutes"]) == (5, 15)
    assert [e["address"] for e in audit_log.events("login.failed")] == ["203.0.113.7"] * 5
    assert_never_leaks(audit_log, "guess")


# --- Permission denials ------------------------------------------------------------------------


def test_a_counsellor_refused_a_manager_page_is_logged(audit_log, counsellor_client, counsellor):
    response = counsellor_client.get("/imports/")

    assert response.status_code == 403
    event = audit_log.one("permission.denied")
    assert (event["reason"], event["view"], event["path"]) == (
        "manager_required",
        "import_list",
        "/imports/",
    )
    assert event["username"] == "arjun"


def test_a_csrf_failure_is_logged_and_shown_on_our_403_page(audit_log, counsellor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(counsellor)

    response = browser.post("/accounts/logout/")

    assert response.status_code == 403
    assert "The form was out of date" in response.content.decode()
    event = audit_log.one("permission.denied")
    assert (event["reason"], event["username"]) == ("csrf", "arjun")
    assert "CSRF" in event["detail"]


# --- Imports and exports -----------------------------------------------------------------------


def test_an_import_is_logged_when_it_starts_and_when_it_finishes(audit_log, manager_client):
    data = f"Name,Phone\nAnjali,{PHONE}\nRavi,98765 43211\nBroken,12\n".encode()
    upload = SimpleUploadedFile("leads.csv", data, content_type="text/csv")

    manager_client.post("/imports/new/", {"file": upload, "assign": "NOBODY"})

    started, finished = audit_log.one("import.started"), audit_log.one("import.finished")
    assert started["username"] == finished["username"] == "manager"
    assert (started["file_name"], started["total_records"]) == ("leads.csv", 3)
    assert finished["import_id"] == started["import_id"]
    assert finished["status"] == "DONE"
    assert (finished["created_records"], finished["failed_records"]) == (2, 1)
    assert_never_leaks(audit_log, PHONE, "9876543210", "98765 43211")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_is_logged_with_its_format_and_filter(audit_log, manager_client, fmt):
    CustomerFactory(phone_number=PHONE)

    query = urlencode({"q": PHONE, "status": "NEW"})
    response = manager_client.get(f"/customers/export.{fmt}?{query}")
    b"".join(response.streaming_content)

    event = audit_log.one("customers.exported")
    assert (event["format"], event["username"]) == (fmt, "manager")
    assert event["filter"] == {"q": "+91******3210", "status": "NEW"}
    assert_never_leaks(audit_log, PHONE, "9876543210")


# --- Assignments and status changes ------------------------------------------------------------


def test_a_bulk_assignment_is_logged_with_how_many_and_to_whom(
    audit_log, manager_client, counsellor
):
    customers = CustomerFactory.create_batch(3)

    manager_client.post(
        "/customers/assign/",
        {"customer_ids": [str(c.pk) for c in customers], "assigned_to": str(counsellor.pk)},
    )

    event = audit_log.one("customers.assigned")
    assert (event["count"], event["assignee_username"]) == (3, "arjun")
    assert event["assignee_id"] == str(counsellor.pk)
    assert event["username"] == "manager"


def test_assigning_one_customer_is_logged(audit_log, manager_client, customer, other_counsellor):
    manager_client.post(f"/customers/{customer.pk}/assign/", {"assigned_to": other_counsellor.pk})

    event = audit_log.one("customers.assigned")
    assert (event["count"], event["customer_id"]) == (1, str(customer.pk))
    assert event["assignee_username"] == "meera"


def test_a_distribution_is_logged_with_each_share(
    audit_log, manager_client, counsellor, other_counsellor
):
    customers = CustomerFactory.create_batch(4)

    manager_client.post(
        "/customers/distribute/",
        {"customer_ids": [str(c.pk) for c in customers], "confirm": "on"},
    )

    event = audit_log.one("customers.distributed")
    assert event["count"] == 4
    assert event["assignees"] == {"arjun": 2, "meera": 2}


def test_reassigning_all_of_someones_customers_is_logged(
    audit_log, manager_client, counsellor, other_counsellor
):
    CustomerFactory.create_batch(2, assigned_to=counsellor)

    manager_client.post(
        "/customers/reassign/", {"from_counsellor": str(counsellor.pk), "confirm": "on"}
    )

    event = audit_log.one("customers.reassigned_all")
    assert (event["from_username"], event["count"]) == ("arjun", 2)
    assert event["assignees"] == {"meera": 2}


def test_a_bulk_status_change_is_logged(audit_log, manager_client):
    customers = CustomerFactory.create_batch(2)

    manager_client.post(
        "/customers/status/",
        {"customer_ids": [str(c.pk) for c in customers], "status": "VALID"},
    )

    event = audit_log.one("customers.status_changed")
    assert (event["count"], event["status"]) == (2, Customer.Status.VALID)


# --- Changes to people -------------------------------------------------------------------------


def test_adding_someone_to_the_team_is_logged_without_their_password(audit_log, manager_client):
    manager_client.post(
        "/users/new/",
        {
            "username": "kiran",
            "first_name": "Kiran",
            "last_name": "Rao",
            "email": "",
            "role": "SALES",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    event = audit_log.one("user.created")
    assert (event["member_username"], event["role"], event["username"]) == (
        "kiran",
        "SALES",
        "manager",
    )
    assert_never_leaks(audit_log, NEW_PASSWORD)


def test_a_role_change_is_logged(audit_log, manager_client, counsellor):
    manager_client.post(
        f"/users/{counsellor.pk}/edit/",
        {"first_name": "Arjun", "last_name": "Menon", "email": "", "role": "MANAGER"},
    )

    event = audit_log.one("user.changed")
    assert (event["member_username"], event["role"]) == ("arjun", "MANAGER")
    assert "role" in event["fields"]


def test_deactivating_and_reactivating_are_logged(audit_log, manager_client, counsellor):
    manager_client.post(f"/users/{counsellor.pk}/deactivate/")
    manager_client.post(f"/users/{counsellor.pk}/reactivate/")

    assert audit_log.one("user.deactivated")["member_id"] == str(counsellor.pk)
    assert audit_log.one("user.reactivated")["member_username"] == "arjun"


def test_setting_a_new_password_is_logged_without_the_password(
    audit_log, manager_client, counsellor
):
    manager_client.post(
        f"/users/{counsellor.pk}/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    event = audit_log.one("user.password_set")
    assert (event["member_username"], event["username"]) == ("arjun", "manager")
    assert_never_leaks(audit_log, NEW_PASSWORD)
