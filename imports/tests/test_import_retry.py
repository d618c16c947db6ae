"""POST /imports/<id>/retry/: run a stopped import again from where it stopped (managers only)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Customer
from customers.tests.pages import login_url_for, messages_of
from imports import services
from imports.models import FileImport

from .files import csv_bytes

DATA = csv_bytes([["Name", "Phone"], *[[f"Lead {n}", f"98765{n:05d}"] for n in range(7)]])


class WorkerKilled(BaseException):
    pass


def kill_worker(file_import):
    raise WorkerKilled


def url(file_import):
    return f"/imports/{file_import.pk}/retry/"


@pytest.fixture
def stalled(queue_import, monkeypatch, settings):
    """An import whose worker was killed after its first batch of 3 rows, marked failed."""
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    file_import = queue_import(DATA)
    file_import.claim()
    with pytest.raises(WorkerKilled):
        services.run_import(file_import, progress=kill_worker)
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 5)
    FileImport.objects.filter(pk=file_import.pk).update(heartbeat_at=long_ago)
    FileImport.objects.fail_stalled()
    file_import.refresh_from_db()
    assert file_import.can_resume
    return file_import


def test_get_is_not_allowed(manager_client, stalled):
    assert manager_client.get(url(stalled)).status_code == 405


def test_anonymous_is_sent_to_login(client, stalled):
    response = client.post(url(stalled))

    assert response.status_code == 302
    assert response.url == login_url_for(url(stalled))
    stalled.refresh_from_db()
    assert stalled.status == FileImport.Status.FAILED


def test_a_counsellor_is_forbidden(counsellor_client, stalled):
    assert counsellor_client.post(url(stalled)).status_code == 403
    stalled.refresh_from_db()
    assert stalled.status == FileImport.Status.FAILED


def test_a_stopped_import_runs_again_and_finishes_without_duplicates(manager_client, stalled):
    response = manager_client.post(url(stalled))

    assert response.status_code == 302
    assert response.url == f"/imports/{stalled.pk}/"
    assert messages_of(response) == ["The import is running again from where it stopped."]
    stalled.refresh_from_db()
    assert stalled.status == FileImport.Status.DONE
    assert (stalled.processed_rows, stalled.created_records) == (7, 7)
    assert stalled.error_message == ""
    assert Customer.objects.count() == 7


def test_a_finished_import_is_not_run_again(manager_client, import_file):
    file_import = import_file(DATA)

    response = manager_client.post(url(file_import))

    assert response.status_code == 302
    assert messages_of(response) == ["Only an import that stopped part-way can be run again."]
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE


def test_a_rejected_file_is_not_run_again(manager_client, import_file):
    file_import = import_file(b"Name,City\nAsha,Kochi\n")

    response = manager_client.post(url(file_import))

    assert messages_of(response) == ["Only an import that stopped part-way can be run again."]
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED
    assert file_import.error_message.startswith("No phone column was found.")


def test_a_running_import_is_not_started_twice(manager_client, queue_import):
    file_import = queue_import(DATA)
    file_import.claim()

    manager_client.post(url(file_import))

    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.RUNNING
    assert file_import.processed_rows == 0
    assert not Customer.objects.exists()


def test_an_unknown_import_is_404(manager_client):
    response = manager_client.post(f"/imports/{uuid.uuid4()}/retry/")

    assert response.status_code == 404
