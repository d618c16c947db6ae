"""/healthz/: open to anyone, reports the database, the workers' heartbeat and the queue depth,
and nothing about customers, users or configuration."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from customers.factories import CustomerFactory
from health.models import WorkerHeartbeat
from imports.tasks import import_file

URL = "/healthz/"
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_BACKEND = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings):
    """Queue tasks in the database, as in production (the test settings run them at once)."""
    settings.TASKS = DATABASE_BACKEND


def test_anonymous_gets_ok_with_an_empty_queue_and_no_worker(client, db, database_queue):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {"last_heartbeat": None, "age_seconds": None, "alive": False},
        "queue": {"ready": 0, "running": 0},
    }


def test_reports_queue_depth_and_the_latest_heartbeat(client, db, database_queue):
    for number in range(3):
        import_file.enqueue(f"import-{number}")
    DBTaskResult.objects.first().claim("worker-one")
    WorkerHeartbeat.objects.create(
        worker_id="old-worker",
        started_at=timezone.now() - timedelta(hours=2),
        beat_at=timezone.now() - timedelta(hours=1),
    )
    WorkerHeartbeat.objects.beat("worker-one")
    latest = WorkerHeartbeat.objects.get(worker_id="worker-one").beat_at

    body = client.get(URL).json()

    assert body["queue"] == {"ready": 2, "running": 1}
    assert body["worker"]["last_heartbeat"] == latest.isoformat()
    assert body["worker"]["age_seconds"] <= 1
    assert body["worker"]["alive"] is True


def test_a_worker_silent_for_over_a_minute_is_not_alive(client, db, database_queue):
    silent_since = timezone.now() - timedelta(seconds=90)
    WorkerHeartbeat.objects.create(worker_id="w", started_at=silent_since, beat_at=silent_since)

    worker = client.get(URL).json()["worker"]

    assert worker["alive"] is False
    assert 90 <= worker["age_seconds"] <= 92


def test_with_the_immediate_backend_there_is_no_worker_or_queue_to_report(client, db, settings):
    settings.TASKS = IMMEDIATE_BACKEND

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": None, "queue": None}


def test_reveals_nothing_about_customers_users_or_imports(
    client, manager, counsellor, database_queue
):
    customer = CustomerFactory(assigned_to=counsellor, name="Anjali Nair")
    import_file.enqueue("0f8e4c1e-secret-import-id")
    WorkerHeartbeat.objects.beat("worker-host-7f3a")

    text = client.get(URL).content.decode()

    body = json.loads(text)
    assert set(body) == {"status", "database", "worker", "queue"}
    assert set(body["worker"]) == {"last_heartbeat", "age_seconds", "alive"}
    assert set(body["queue"]) == {"ready", "running"}
    for secret in [
        customer.name,
        customer.phone_number,
        customer.phone_number[-10:],
        manager.username,
        counsellor.username,
        "0f8e4c1e-secret-import-id",
        "worker-host-7f3a",
        "imports.tasks",
    ]:
        assert secret not in text


@pytest.mark.parametrize("tasks", [2, 20])
def test_query_count_stays_the_same_for_any_queue_length(
    client, db, database_queue, django_assert_num_queries, tasks
):
    for number in range(tasks):
        import_file.enqueue(f"import-{number}")
    WorkerHeartbeat.objects.beat("worker-one")

    # SELECT 1; the latest heartbeat; ready and running tasks counted in one GROUP BY.
    with django_assert_num_queries(3):
        response = client.get(URL)

    assert response.json()["queue"]["ready"] == tasks


def test_the_immediate_backend_costs_one_query(client, db, settings, django_assert_num_queries):
    settings.TASKS = IMMEDIATE_BACKEND

    with django_assert_num_queries(1):  # SELECT 1
        assert client.get(URL).status_code == 200


def test_post_is_not_allowed(client, db):
    assert client.post(URL).status_code == 405


def test_head_is_allowed_for_simple_probes(client, db, database_queue):
    assert client.head(URL).status_code == 200


@pytest.fixture
def unreachable_database(transactional_db):
    """Point this process's default connection at a database that does not exist.

    A real failure, raised by the database driver: the next query has to open a new connection
    and cannot. The working connection is set aside (an in-memory SQLite test database would
    vanish if it were closed) and put back before the test database is flushed.
    """
    working, real_name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = (
        "/nonexistent-folder/no-database.sqlite3"
        if connection.vendor == "sqlite"
        else "cms_no_such_database"
    )
    yield
    connection.close()
    connection.settings_dict["NAME"] = real_name
    connection.connection = working


def test_unreachable_database_is_503_with_no_details(client, unreachable_database, caplog):
    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unreachable",
        "worker": None,
        "queue": None,
    }
    assert "no-database" not in response.content.decode()
    assert "cms_no_such_database" not in response.content.decode()
    assert "the database is unreachable" in caplog.text


@pytest.fixture
def closed_connection(transactional_db):
    """Give Django a driver connection that was closed under it, as after a database restart."""
    working = connection.connection
    connection.connection = connection.get_new_connection(connection.get_connection_params())
    connection.connection.close()
    yield
    connection.connection = working


def test_a_connection_closed_under_django_is_503_not_500(client, closed_connection):
    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
