"""The users of `make loadtest` (bench/loadtest.py runs this file; see there for the numbers).

Each simulated user logs in once through the real login form (GET the page, take its CSRF
token, POST the right password) as one of the counsellors `counsellor01`.. or, one user in
ten, as the manager `manager`, then works through a day at a click every 1-3 s (a much busier
person than a real one):

    list (own customers, pages 1-3)  4     search by name fragment          2
    list filtered by a status        2     search by phone digits           1
    customer detail                  4     status change (detail + POST)    2
    dashboard (manager / My day)     2

Customer ids and phone numbers come from the person's own list pages. A status change reads
the detail page, takes the CSRF token and the current status from the form, and posts a
different status with a note, as htmx does (`HX-Request`); a follow-up status gets a date.

A request is an error unless it answers 200, or 302 for the login and nothing else: a
redirect to the login page from any other page means the session was lost, and a status form
that comes back without "Saved:" was refused. Connection errors are errors too.

Statistics are reset once every user has logged in (logins cost ~0.3 s of CPU each with
Django's PBKDF2), so the numbers are the steady mix. The logins are tallied apart, into the
JSON file LOADTEST_REPORT names, with the moment the statistics were reset.

Environment: LOADTEST_PASSWORD (everyone's password), LOADTEST_COUNSELLORS (how many
counsellor accounts there are), LOADTEST_REPORT (where to write the login tally).
"""

import itertools
import json
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import CSRF_TOKEN, CUSTOMER_LINK, SELECTED_STATUS  # noqa: E402

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-pass-2026")
COUNSELLORS = int(os.environ.get("LOADTEST_COUNSELLORS", "20"))
REPORT = os.environ.get("LOADTEST_REPORT", "")

PHONE = re.compile(r"\+91 (\d{5}) (\d{5})")

STATUSES = [
    "NEW",
    "INVALID",
    "VALID",
    "CALL_NOT_ATTENDED",
    "PLAN_PRESENTED",
    "INTERESTED",
    "NOT_INTERESTED",
    "FOLLOW_UP",
    "SHORTLISTED",
    "CAMPUS_VISIT",
    "REGISTRATION",
    "ADMISSION",
]
# What a counsellor moves a customer to: open statuses, so customers stay workable; the two
# follow-up ones need a date (customers.forms.StatusForm).
NEXT_STATUSES = ["VALID", "PLAN_PRESENTED", "INTERESTED", "SHORTLISTED", "FOLLOW_UP"]
NEEDS_DATE = {"FOLLOW_UP", "CALL_NOT_ATTENDED"}
# Name fragments: common and rare surnames of bench/dataset.py, first names, partial words.
NAME_FRAGMENTS = [
    "Nair",
    "Menon",
    "Kurian",
    "Zachariah",
    "Anand",
    "Priya",
    "Ali",
    "Thomas",
    "Aswathy",
    "Joseph",
    "kris",
    "anj",
]

ENVIRONMENT = None
LOGINS = {"ok": 0, "failed": 0, "times_ms": []}
MEASURED = {"reset_at": None, "users": 0}
counsellor_numbers = itertools.count()


def next_call_date() -> str:
    """Two days ahead: never in the past in India, whatever this machine's time zone."""
    return (date.today() + timedelta(days=2)).isoformat()


class Staff(FastHttpUser):
    """Someone who logs in once and then works; subclasses say who."""

    abstract = True
    wait_time = between(1, 3)
    dashboard_name = "dashboard"

    def username(self) -> str:
        raise NotImplementedError

    def on_start(self):
        self.customer_ids: list[str] = []
        self.phones: list[str] = []
        self.log_in(self.username())
        self.remember(self.get_page("/customers/", "list"))

    # --- Helpers -------------------------------------------------------------------------

    def log_in(self, username: str):
        started = time.perf_counter()
        page = self.get_page("/accounts/login/", "login page")
        token = CSRF_TOKEN.search(page)
        ok = False
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code == 302 and "/accounts/login" not in location:
                ok = True
            else:
                response.failure(f"login as {username}: {response.status_code}")
        LOGINS["ok" if ok else "failed"] += 1
        LOGINS["times_ms"].append((time.perf_counter() - started) * 1000)
        if not ok:
            raise StopUser()

    def get_page(self, path: str, name: str) -> str:
        """GET `path`; anything but a 200 (a redirect to the login page too) is an error."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}".strip())
                return ""
            return response.text or ""

    def remember(self, page: str):
        """Keep the customers and phone numbers the person's own list just showed."""
        ids = CUSTOMER_LINK.findall(page)
        if ids:
            self.customer_ids = list(dict.fromkeys(ids))
        phones = ["".join(groups) for groups in PHONE.findall(page)]
        if phones:
            self.phones = phones

    def a_customer(self) -> str | None:
        return random.choice(self.customer_ids) if self.customer_ids else None

    # --- What people do ------------------------------------------------------------------

    @task(4)
    def customer_list(self):
        page = random.choice(["", "", "?page=2", "?page=3"])
        self.remember(self.get_page(f"/customers/{page}", "list"))

    @task(2)
    def list_by_status(self):
        self.get_page(f"/customers/?status={random.choice(STATUSES)}", "list: status filter")

    @task(2)
    def search_by_name(self):
        self.get_page(f"/customers/?q={random.choice(NAME_FRAGMENTS)}", "search: name")

    @task(1)
    def search_by_phone(self):
        if self.phones:
            phone = random.choice(self.phones)
            start = random.randrange(0, 5)
            digits = phone[start : start + random.choice([5, 6, 10])]
        else:
            digits = str(random.randrange(10_000, 99_999))
        self.get_page(f"/customers/?q={digits}", "search: phone digits")

    @task(4)
    def customer_detail(self):
        customer = self.a_customer()
        if customer:
            self.get_page(f"/customers/{customer}/", "detail")

    @task(2)
    def change_status(self):
        customer = self.a_customer()
        if not customer:
            return
        page = self.get_page(f"/customers/{customer}/", "detail")
        token, current = CSRF_TOKEN.search(page), SELECTED_STATUS.search(page)
        if not token:
            return  # the GET already counted as an error
        status = random.choice([s for s in NEXT_STATUSES if not current or s != current.group(1)])
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "status": status,
            "notes": f"Load test call {random.randrange(1_000_000)}",
            "follow_up_on": next_call_date() if status in NEEDS_DATE else "",
            "follow_up_time": "",
        }
        with self.client.post(
            f"/customers/{customer}/status/",
            data=data,
            headers={"HX-Request": "true", "HX-Target": "status-panel"},
            name="status change",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(str(response.status_code))
            elif "Saved:" not in (response.text or ""):
                response.failure("status form refused")

    @task(2)
    def dashboard(self):
        self.get_page("/dashboard/", self.dashboard_name)


class Counsellor(Staff):
    weight = 9
    dashboard_name = "dashboard: my day"

    def username(self) -> str:
        return f"counsellor{next(counsellor_numbers) % COUNSELLORS + 1:02d}"


class Manager(Staff):
    weight = 1
    dashboard_name = "dashboard: manager"

    def username(self) -> str:
        return "manager"


# --- Measuring the steady mix only -----------------------------------------------------------


@events.init.add_listener
def keep_environment(environment, **kwargs):
    global ENVIRONMENT
    ENVIRONMENT = environment


@events.spawning_complete.add_listener
def measure_once_logged_in(user_count, **kwargs):
    """Reset the statistics when every user has logged in (or given up), within 120 s."""

    def wait_then_reset():
        deadline = time.monotonic() + 120
        while LOGINS["ok"] + LOGINS["failed"] < user_count and time.monotonic() < deadline:
            gevent.sleep(0.1)
        if ENVIRONMENT is not None and ENVIRONMENT.runner is not None:
            ENVIRONMENT.runner.stats.reset_all()
        MEASURED.update(reset_at=time.time(), users=user_count)

    gevent.spawn(wait_then_reset)


@events.quitting.add_listener
def write_report(environment, **kwargs):
    if not REPORT:
        return
    times = sorted(LOGINS["times_ms"])
    report = {
        "logins_ok": LOGINS["ok"],
        "logins_failed": LOGINS["failed"],
        "login_median_ms": times[len(times) // 2] if times else None,
        "login_max_ms": times[-1] if times else None,
        "reset_at": MEASURED["reset_at"],
        "stopped_at": time.time(),
        "users": MEASURED["users"],
    }
    with open(REPORT, "w") as out:
        json.dump(report, out)
