"""Fault: the import worker is killed (SIGKILL) in the middle of a large import.

A real `manage.py db_worker` process runs a 20,000-row upload from the database queue, as in
production. Once a few batches are committed it is killed with SIGKILL: no exception handler,
no `finally`, its open transaction cut off by PostgreSQL. Then, as a manager would see it:

- only whole batches were kept, and the import's counters describe exactly those;
- once the heartbeat is older than IMPORT_STALL_SECONDS, the import page marks it failed and
  offers "Run again";
- "Run again" on a new worker finishes it: every row of the file counted exactly once, one
  customer per phone, no duplicates.

imports/tests/test_import_resume.py proves the same batch by batch inside one process, on both
databases; this is the end-to-end version with a real process and a real kill, on PostgreSQL
(a worker process cannot open SQLite's in-memory test database).
"""

import csv
import io
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from customers.models import Customer
from imports.models import FileImport, ImportMergedRow, ImportRowError
from imports.services import BATCH_SIZE

from .fuzz import client_for, flashes

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 20_000
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def lead_rows() -> list[list[str]]:
    """Rows with a phone each; every thousandth repeats the phone of a row 2,500 earlier, so
    repeats reach back across batches (and across the kill)."""
    rows = []
    for i in range(ROWS):
        n = i - 2500 if i % 1000 == 999 and i >= 2500 else i
        rows.append([f"Lead {i}", f"98{n:08d}"])
    return rows


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Name", "Mobile"], *rows])
    return buffer.getvalue().encode()


def worker_database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{s['HOST']}{port}/{s['NAME']}"


class Worker:
    """`manage.py db_worker` on the test database, as a deployed worker runs."""

    def __init__(self, media_root, log_path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": worker_database_url(),
            "TASKS_BACKEND": DATABASE_BACKEND,
            "MEDIA_ROOT": str(media_root),
            "DEBUG": "false",
            "SECRET_KEY": django_settings.SECRET_KEY,
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path = log_path
        self.process = None

    def start(self):
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--interval", "0.1"],
                cwd=django_settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self):
        """SIGKILL: what the OOM killer, a lost machine or `docker kill` does."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        print(f"db_worker log:\n{self.log_path.read_text()}")  # shown when the test fails


@pytest.fixture
def workers(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can open: PostgreSQL")
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path / "media"
    started = []

    def new_worker():
        worker = Worker(settings.MEDIA_ROOT, tmp_path / f"worker-{len(started)}.log").start()
        started.append(worker)
        return worker

    yield new_worker
    for worker in started:
        worker.stop()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.01)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_a_worker_killed_mid_import_leaves_whole_batches_and_run_again_counts_every_row_once(
    manager, workers, settings
):
    rows = lead_rows()
    phones = [phone for _, phone in rows]
    as_manager = client_for(manager)
    upload = SimpleUploadedFile("leads.csv", as_csv(rows), content_type="text/csv")
    response = as_manager.post("/imports/new/", {"file": upload, "assign": "NOBODY"})
    file_import = FileImport.objects.get()
    assert response["Location"] == f"/imports/{file_import.pk}/"
    assert file_import.status == FileImport.Status.QUEUED

    first = workers()
    wait_for(
        lambda: FileImport.objects.get(pk=file_import.pk).processed_rows >= 2 * BATCH_SIZE,
        60,
        "two committed batches",
    )
    first.kill()

    # Only whole batches were kept, and the counters say exactly what is in the database.
    killed = FileImport.objects.get(pk=file_import.pk)
    done = killed.processed_rows
    assert killed.status == FileImport.Status.RUNNING
    assert 0 < done < ROWS, "the import finished before the kill: make the file larger"
    assert done % BATCH_SIZE == 0
    assert Customer.objects.count() == killed.created_records == len(set(phones[:done]))
    assert (
        ImportMergedRow.objects.count() == killed.merged_records == done - len(set(phones[:done]))
    )

    # The worker is gone: after IMPORT_STALL_SECONDS without a heartbeat the page says so.
    settings.IMPORT_STALL_SECONDS = 1
    time.sleep(1.2)
    page = as_manager.get(f"/imports/{file_import.pk}/")
    stalled = FileImport.objects.get(pk=file_import.pk)
    assert stalled.status == FileImport.Status.FAILED
    assert stalled.error_message == FileImport.STALLED_MESSAGE
    assert stalled.can_resume
    assert "Run again" in page.content.decode()

    print(f"killed after {done:,} of {ROWS:,} rows ({done // BATCH_SIZE} whole batches kept)")
    retry = as_manager.post(f"/imports/{file_import.pk}/retry/")
    assert flashes(retry) == [("success", "The import is running again from where it stopped.")]
    workers()
    finished = wait_for(
        lambda: FileImport.objects.filter(
            pk=file_import.pk, status__in=[FileImport.Status.DONE, FileImport.Status.FAILED]
        ).first(),
        120,
        "the import to finish after Run again",
    )

    print(
        f"after Run again: {finished.processed_rows:,} rows, {finished.created_records:,} "
        f"customers, {finished.merged_records:,} repeats merged"
    )
    # Every row of the file counted exactly once; one customer per phone, nothing twice.
    unique = len(set(phones))
    assert (finished.status, finished.error_message) == (FileImport.Status.DONE, "")
    assert finished.processed_rows == finished.total_records == ROWS
    assert (finished.created_records, finished.failed_records) == (unique, 0)
    assert finished.created_records + finished.updated_records + finished.unchanged_records == ROWS
    assert finished.merged_records == ROWS - unique
    assert Customer.objects.count() == unique
    assert ImportRowError.objects.count() == 0
    merged = list(ImportMergedRow.objects.values_list("row_number", flat=True))
    assert len(merged) == len(set(merged)) == ROWS - unique
    # A repeated phone holds the name from its last row, whichever run read it.
    last_name = {phone: name for name, phone in rows}
    for phone in set(phones[999::1000]):
        customer = Customer.objects.get(phone_number=f"+91{phone}")
        assert customer.name == last_name[phone]
