"""`make loadtest` stays runnable: the locustfile imports, its users do every kind of request
the load test promises, the page patterns it scrapes still match our pages, and the driver's
and the fault script's arguments parse. No load is generated here.

Importing locust monkey-patches the standard library (gevent), so the locustfile is imported
in a separate process that reports its users, tasks and patterns as JSON."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import fault_pg_restart, loadtest
from customers.models import Customer

ROOT = Path(__file__).resolve().parent.parent

INSPECT = """
import inspect, json, runpy, sys
import locust
found = runpy.run_path(sys.argv[1])
users = {
    name: {
        "weight": value.weight,
        "tasks": sorted({task.__name__ for task in value.tasks}),
        "wait": [value.wait_time(None) for _ in range(50)],
    }
    for name, value in found.items()
    if inspect.isclass(value) and issubclass(value, locust.User) and not value.abstract
}
patterns = {k: v.pattern for k, v in found.items() if hasattr(v, "pattern") and k.isupper()}
print(json.dumps({"users": users, "patterns": patterns}))
"""


@pytest.fixture(scope="module")
def locustfile():
    found = subprocess.run(
        [sys.executable, "-c", INSPECT, str(ROOT / "bench" / "locustfile.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout.strip().splitlines()[-1])


def test_counsellors_and_a_few_managers_log_in(locustfile):
    users = locustfile["users"]
    assert set(users) == {"Counsellor", "Manager"}
    assert users["Counsellor"]["weight"] > 5 * users["Manager"]["weight"]


def test_every_user_does_every_kind_of_request(locustfile):
    promised = {
        "customer_list",
        "list_by_status",
        "search_by_name",
        "search_by_phone",
        "customer_detail",
        "change_status",
        "dashboard",
    }
    for user in locustfile["users"].values():
        assert promised <= set(user["tasks"])
        assert all(1 <= wait <= 3 for wait in user["wait"])


def test_the_scraped_patterns_match_our_pages(locustfile, counsellor_client, customer):
    """Customer links on the list, and the CSRF token and current status in the detail's form."""
    patterns = {name: re.compile(p) for name, p in locustfile["patterns"].items()}
    listing = counsellor_client.get("/customers/", secure=True).content.decode()
    detail = counsellor_client.get(f"/customers/{customer.pk}/", secure=True).content.decode()

    assert patterns["CUSTOMER_LINK"].findall(listing) == [str(customer.pk)]
    assert patterns["CSRF_TOKEN"].search(detail)
    assert patterns["SELECTED_STATUS"].search(detail).group(1) == Customer.Status.NEW
    assert patterns["PHONE"].search(listing)


def test_the_driver_defaults_to_the_promised_steps():
    args = loadtest.parse_args([])

    assert args.users == [10, 20, 30, 40, 60, 80]
    assert (args.seconds, args.p95, args.customers, args.counsellors) == (60, 300, 200_000, 20)
    assert (args.workers, args.threads) == (3, 4)
    assert args.out is None


def test_the_driver_takes_steps_and_an_output_file(tmp_path):
    args = loadtest.parse_args(
        ["--users", "5, 15,45", "--seconds", "30", "--out", str(tmp_path / "load.md")]
    )

    assert args.users == [5, 15, 45]
    assert args.seconds == 30
    assert args.out == tmp_path / "load.md"


@pytest.mark.parametrize("users", ["20,10", "10,10", "0,5", "ten", ""])
def test_the_driver_refuses_steps_that_do_not_rise(users, capsys):
    with pytest.raises(SystemExit):
        loadtest.parse_args(["--users", users])


def test_the_fault_script_restarts_inside_the_load():
    args = fault_pg_restart.parse_args(["--seconds", "40", "--restart-at", "15"])
    assert (args.seconds, args.restart_at, args.no_restart) == (40, 15, False)

    with pytest.raises(SystemExit):
        fault_pg_restart.parse_args(["--seconds", "10", "--restart-at", "15"])


def test_the_database_is_a_scratch_one_on_the_same_server():
    url = loadtest.database_url("postgres://postgres@127.0.0.1:5432/postgres")

    assert url == "postgres://postgres@127.0.0.1:5432/cms_loadtest"
