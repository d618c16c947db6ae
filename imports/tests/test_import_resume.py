"""An import stopped part-way keeps whole batches, is marked failed, and a re-run finishes it.

Both databases. The worker is stopped the only honest way from inside one process: the progress
callback (called after each committed batch) raises, as a kill or Ctrl-C would stop the worker
between batches. Nothing of ours is mocked.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Customer
from imports import services
from imports.models import FileImport

from .files import csv_bytes

pytestmark = pytest.mark.django_db
ROWS = [
    ["Lead 0", "9876500000"],
    ["Lead 1", "9876500001"],
    ["Bad phone", "12345"],  # row 4 fails
    ["Lead 3", "9876500003"],
    ["Lead 1 again", "+91 98765 00001"],  # row 6 repeats row 3
    ["Lead 5", "9876500005"],
    ["Bad date", "9876500006", "31/02/2026"],  # row 8 is imported without its date, warned
    ["Lead 7", "9876500007"],
    ["Lead 0", "09876500000"],  # row 10 repeats row 2, unchanged
    ["Lead 9", "9876500009"],
]
DATA = csv_bytes([["Name", "Phone", "Enquiry date"], *ROWS])


class WorkerKilled(BaseException):
    """What the worker sees when it is killed: not an Exception, so nothing catches it."""


def stop_after(batches):
    done = []

    def progress(file_import):
        done.append(file_import.processed_rows)
        if len(done) == batches:
            raise WorkerKilled

    return progress


def interrupted_import(queue_import, batches=1):
    file_import = queue_import(DATA)
    assert file_import.claim()
    with pytest.raises(WorkerKilled):
        services.run_import(file_import, progress=stop_after(batches))
    file_import.refresh_from_db()
    return file_import


def go_stale(file_import, settings):
    """The worker is gone: its last heartbeat is older than the stall limit."""
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 5)
    FileImport.objects.filter(pk=file_import.pk).update(heartbeat_at=long_ago)


def resume(file_import):
    file_import.requeue()
    assert file_import.claim()
    services.run_import(file_import)
    file_import.refresh_from_db()
    return file_import


def assert_complete_and_counted_once(file_import):
    fi = file_import
    assert fi.status == FileImport.Status.DONE
    assert fi.total_records == fi.processed_rows == 10
    assert (fi.created_records, fi.updated_records, fi.unchanged_records) == (7, 1, 1)
    assert (fi.failed_records, fi.warned_records) == (1, 1)
    assert fi.created_records + fi.updated_records + fi.unchanged_records + fi.failed_records == 10
    assert list(fi.row_errors.failures().values_list("row_number", flat=True)) == [4]
    assert list(fi.row_errors.warnings().values_list("row_number", flat=True)) == [8]
    assert list(fi.merged_rows.values_list("row_number", "first_row_number")) == [(6, 3), (10, 2)]
    assert Customer.objects.count() == 7
    assert Customer.objects.get(phone_number="+919876500001").name == "Lead 1 again"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)


def test_an_uninterrupted_run_gives_the_reference_counts(import_file):
    assert_complete_and_counted_once(import_file(DATA))


def test_a_killed_worker_leaves_whole_batches_and_a_running_import(queue_import):
    file_import = interrupted_import(queue_import, batches=2)

    assert file_import.status == FileImport.Status.RUNNING
    assert file_import.processed_rows == 6
    assert Customer.objects.count() == 4  # rows 2, 3, 5 and 7; row 6 was merged into row 3
    assert list(file_import.row_errors.values_list("row_number", flat=True)) == [4]


def test_a_stalled_import_is_marked_failed_with_its_reason(queue_import, settings):
    file_import = interrupted_import(queue_import)
    go_stale(file_import, settings)

    assert FileImport.objects.fail_stalled() == 1

    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED
    assert file_import.error_message == FileImport.STALLED_MESSAGE
    assert file_import.can_resume


def test_a_running_import_with_a_recent_heartbeat_is_not_stalled(queue_import):
    file_import = interrupted_import(queue_import)

    assert FileImport.objects.fail_stalled() == 0
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.RUNNING


def test_resuming_a_stalled_import_counts_every_row_once(queue_import, settings):
    file_import = interrupted_import(queue_import)
    go_stale(file_import, settings)
    FileImport.objects.fail_stalled()
    file_import.refresh_from_db()

    resumed = resume(file_import)

    assert_complete_and_counted_once(resumed)
    assert resumed.error_message == ""


def test_a_second_kill_and_resume_still_counts_every_row_once(queue_import, settings):
    file_import = interrupted_import(queue_import)
    go_stale(file_import, settings)
    FileImport.objects.fail_stalled()
    file_import.refresh_from_db()
    file_import.requeue()
    assert file_import.claim()
    with pytest.raises(WorkerKilled):
        services.run_import(file_import, progress=stop_after(2))
    go_stale(file_import, settings)
    FileImport.objects.fail_stalled()
    file_import.refresh_from_db()
    assert file_import.processed_rows == 9

    assert_complete_and_counted_once(resume(file_import))


def test_an_unexpected_error_fails_the_import_with_a_reason_and_it_can_resume(queue_import):
    file_import = queue_import(DATA)
    assert file_import.claim()

    def crash_after_first_batch(file_import):
        raise RuntimeError("the database went away")

    services.run_import(file_import, progress=crash_after_first_batch)

    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED
    assert "stopped after 3 of 10 rows" in file_import.error_message
    assert "RuntimeError" in file_import.error_message
    assert file_import.can_resume
    assert_complete_and_counted_once(resume(file_import))


def test_a_finished_import_cannot_be_resumed(import_file):
    file_import = import_file(DATA)

    assert not file_import.can_resume
    assert file_import.claim() is False
