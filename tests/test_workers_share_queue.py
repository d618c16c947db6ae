"""Several `manage.py db_worker` processes share one queue and never run an import twice.

Real worker processes on the test database, as in a scaled-out deployment. PostgreSQL only:
the workers pick tasks with SELECT ... FOR UPDATE SKIP LOCKED, and a worker process cannot
reach SQLite's in-memory test database.
"""

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from customers.models import Customer
from health.models import WorkerHeartbeat
from imports.models import FileImport
from imports.tasks import import_file

IMPORTS = 6
ROWS = 2500  # two batches each (BATCH_SIZE is 2000)
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: worker processes cannot open SQLite's in-memory test database",
)


def database_url() -> str:
    settings_dict = connection.settings_dict
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    name = quote(settings_dict["NAME"], safe="")
    return f"postgres://{credentials}{settings_dict['HOST']}{port}/{name}"


class Workers:
    """Real `manage.py db_worker` processes on the test database, stopped at teardown."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder = env, folder
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, worker_id: str) -> None:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        command += ["--interval", "0.1", "--worker-id", worker_id]
        with (self.folder / f"{worker_id}.log").open("ab") as log:
            self.processes[worker_id] = subprocess.Popen(
                command, cwd=django_settings.BASE_DIR, env=self.env, stdout=log, stderr=log
            )

    def assert_running(self) -> None:
        for worker_id, process in self.processes.items():
            if process.poll() is not None:
                log = (self.folder / f"{worker_id}.log").read_text()
                pytest.fail(f"db_worker {worker_id} exited with {process.returncode}:\n{log}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()  # finishes the task in hand, then exits
        for worker_id, process in self.processes.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log = (self.folder / f"{worker_id}.log").read_text()
            print(f"db_worker {worker_id} exited with {process.returncode}:\n{log}")


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    """Tasks queued in the database, as in production, and workers to start by id."""
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": DATABASE_BACKEND,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    running = Workers(env, tmp_path)
    yield running
    running.stop()


def wait_until(description, condition, workers, seconds=90):
    deadline = time.monotonic() + seconds
    while not condition():
        workers.assert_running()
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds} s waiting for {description}")
        time.sleep(0.2)


def lead_file(number: int) -> bytes:
    """ROWS leads with phones no other file uses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Phone", "Area"])
    for row in range(ROWS):
        writer.writerow([f"Lead {number}-{row}", f"98765{number * ROWS + row:05d}", "Kochi"])
    return buffer.getvalue().encode()


def queue_imports(manager) -> list[FileImport]:
    """Store the files, then enqueue every import twice at once, as a double "Run again"."""
    imports = [
        FileImport.objects.create(
            file=ContentFile(lead_file(number), name=f"leads-{number}.csv"),
            file_name=f"leads-{number}.csv",
            sha256=f"{number:064d}",
            imported_by=manager,
        )
        for number in range(IMPORTS)
    ]
    with transaction.atomic():
        for file_import in imports:
            import_file.enqueue(str(file_import.pk))
            import_file.enqueue(str(file_import.pk))
    return imports


def queue_is_empty() -> bool:
    unfinished = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    return not DBTaskResult.objects.filter(status__in=unfinished).exists()


def test_two_workers_share_the_queue_and_never_run_an_import_twice(workers, manager, client):
    workers.start("worker-one")
    workers.start("worker-two")
    wait_until("both heartbeats", lambda: WorkerHeartbeat.objects.alive().count() == 2, workers)
    imports = queue_imports(manager)

    wait_until("the queue to empty", queue_is_empty, workers)

    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 2 * IMPORTS
    assert {task.status for task in tasks} == {TaskResultStatus.SUCCESSFUL}
    # Each task was claimed by exactly one worker, and both workers took tasks.
    assert all(len(task.worker_ids) == 1 for task in tasks)
    assert {task.worker_ids[0] for task in tasks} == {"worker-one", "worker-two"}
    for file_import in imports:
        file_import.refresh_from_db()
        assert file_import.status == FileImport.Status.DONE
        counts = (
            file_import.total_records,
            file_import.processed_rows,
            file_import.created_records,
            file_import.updated_records,
            file_import.unchanged_records,
            file_import.failed_records,
        )
        assert counts == (ROWS, ROWS, ROWS, 0, 0, 0), file_import.file_name
    assert Customer.objects.count() == IMPORTS * ROWS
    assert Customer.objects.values("phone_number").distinct().count() == IMPORTS * ROWS
    health = client.get("/healthz/").json()
    assert health["queue"] == {"ready": 0, "running": 0}
    assert health["worker"]["alive"] is True


def test_a_stopped_worker_takes_its_heartbeat_with_it(workers, client):
    workers.start("worker-one")
    wait_until("the heartbeat", lambda: WorkerHeartbeat.objects.alive().exists(), workers)
    assert client.get("/healthz/").json()["worker"]["alive"] is True

    workers.stop()

    assert workers.processes["worker-one"].returncode == 0
    assert not WorkerHeartbeat.objects.exists()
    assert client.get("/healthz/").json()["worker"] == {
        "last_heartbeat": None,
        "age_seconds": None,
        "alive": False,
    }
