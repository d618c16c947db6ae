"""An import marked stalled and run again elsewhere: the first run stops, rows count once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Customer
from imports import services
from imports.models import FileImport

from .files import csv_bytes

HEADER = ["Name", "Mobile"]


def rows(count):
    return csv_bytes([HEADER, *[[f"Lead {i}", f"98765{i:05d}"] for i in range(count)]])


def test_a_run_whose_import_was_taken_over_stops_before_its_next_batch(queue_import, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    file_import = queue_import(rows(6))
    assert file_import.claim()
    first_run = FileImport.objects.get(pk=file_import.pk)

    def taken_over_after_first_batch(progress_of):
        # Meanwhile: marked stalled, "Run again" pressed, another worker claims and finishes it.
        FileImport.objects.filter(pk=file_import.pk).update(
            heartbeat_at=timezone.now() - timedelta(hours=1)
        )
        FileImport.objects.fail_stalled()
        other = FileImport.objects.get(pk=file_import.pk)
        other.requeue()
        assert other.claim()
        services.run_import(other)

    services.run_import(first_run, progress=taken_over_after_first_batch)

    final = FileImport.objects.get(pk=file_import.pk)
    assert final.status == FileImport.Status.DONE
    assert (final.processed_rows, final.created_records) == (6, 6)
    assert Customer.objects.count() == 6


def test_finish_leaves_an_import_that_was_marked_stalled_failed(queue_import):
    file_import = queue_import(rows(1))
    assert file_import.claim()
    FileImport.objects.filter(pk=file_import.pk).update(status=FileImport.Status.FAILED)

    file_import.finish()

    assert FileImport.objects.get(pk=file_import.pk).status == FileImport.Status.FAILED


@pytest.mark.parametrize(
    ("queued_seconds_ago", "waiting"), [(5, False), (45, True)], ids=["just queued", "45 s"]
)
def test_the_page_says_when_no_worker_picks_the_import_up(
    manager_client, queue_import, queued_seconds_ago, waiting
):
    file_import = queue_import(rows(1))
    FileImport.objects.filter(pk=file_import.pk).update(
        imported_at=timezone.now() - timedelta(seconds=queued_seconds_ago)
    )

    response = manager_client.get(f"/imports/{file_import.pk}/")

    assert ("Still waiting for the background worker" in response.content.decode()) is waiting


def test_run_again_restarts_the_wait_for_a_worker(queue_import):
    file_import = queue_import(rows(1))
    FileImport.objects.filter(pk=file_import.pk).update(
        imported_at=timezone.now() - timedelta(hours=1), status=FileImport.Status.FAILED
    )
    file_import.refresh_from_db()

    file_import.requeue()

    assert not file_import.waiting_for_worker
