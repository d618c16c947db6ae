"""/imports/: the history of every import, newest first, failed ones with their reason."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from accounts.factories import ManagerFactory
from customers.tests.pages import login_url_for
from imports.models import FileImport

URL = "/imports/"


def make_imports(manager, count, **fields):
    start = timezone.now() - timedelta(days=1)
    for n in range(count):
        file_import = FileImport.objects.create(
            file_name=f"leads-{n}.csv",
            file=f"imports/leads-{n}.csv",
            sha256=f"{n:064d}",
            imported_by=manager,
            **fields,
        )
        # auto_now_add ignores a value passed in; spread them out so the order is known.
        FileImport.objects.filter(pk=file_import.pk).update(
            imported_at=start + timedelta(minutes=n)
        )


def names_shown(response) -> list[str]:
    return re.findall(r'href="/imports/[0-9a-f-]+/"[^>]*>([^<]+)</a>', response.content.decode())


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == login_url_for(URL)


def test_a_counsellor_is_forbidden(counsellor_client):
    assert counsellor_client.get(URL).status_code == 403


def test_no_imports_yet_invites_the_first(manager_client):
    response = manager_client.get(URL)

    assert response.status_code == 200
    assert "No imports yet" in response.content.decode()


def test_imports_are_listed_newest_first(manager_client, manager):
    make_imports(manager, 3, status=FileImport.Status.DONE)

    response = manager_client.get(URL)

    assert names_shown(response) == ["leads-2.csv", "leads-1.csv", "leads-0.csv"]


def test_imports_by_every_manager_are_listed(manager_client, manager):
    make_imports(ManagerFactory(username="deepa", first_name="Deepa", last_name="Rao"), 1)

    response = manager_client.get(URL)

    assert names_shown(response) == ["leads-0.csv"]
    assert "Deepa Rao" in response.content.decode()


def test_failed_imports_stay_in_the_history_with_their_reason(manager_client, import_file):
    import_file(b"Student Name,City\nAsha,Kochi\n", name="no-phones.csv")
    import_file(b"Phone\n9876543210\n", name="good.csv")

    response = manager_client.get(URL)

    page = unescape(response.content.decode())
    assert names_shown(response) == ["good.csv", "no-phones.csv"]
    assert "Failed" in page
    assert "No phone column was found." in page


def test_a_stalled_import_is_listed_as_failed(manager_client, manager, settings):
    make_imports(manager, 1, status=FileImport.Status.RUNNING)
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 5)
    FileImport.objects.update(heartbeat_at=long_ago)

    response = manager_client.get(URL)

    assert FileImport.objects.get().status == FileImport.Status.FAILED
    assert "The import stopped unexpectedly" in unescape(response.content.decode())


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_the_same_queries_for_few_and_many(
    manager_client, manager, count, django_assert_num_queries
):
    make_imports(manager, count, status=FileImport.Status.DONE)

    # 1 session, 2 user, 3 mark stalled imports failed (UPDATE), 4 imports with their importer
    with django_assert_num_queries(4):
        response = manager_client.get(URL)

    assert len(names_shown(response)) == count
