"""Two people changing the same customer at once: never a silent lost update.

- Status changes: two requests at the same moment (PostgreSQL, two threads, two connections)
  both land in the history in the order they committed, each recorded from what the other left;
  the later one is the status, and the detail page shows both.
- A page loaded before someone else's change and submitted after it: the status form records
  the later change on top of the earlier one, visibly. An edit page or a follow-up date
  saved over someone else's later change is refused with a message (optimistic concurrency:
  customers/forms.py, UnchangedSinceShown and StatusForm.seen).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.forms import Select
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

from .fuzz import client_for, flashes, form_errors

S = Customer.Status


def submitted_unchanged(form) -> dict:
    """What a browser sends for a form as the page rendered it, nobody having typed."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            data[field.name] = ""
        elif isinstance(field.field.widget, Select):
            data[field.name] = str(value)
        else:
            data[field.name] = field.field.widget.format_value(value) or ""
    return data


def timeline_html(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="timeline"')
    return page[start : page.index("</ol>", start)]


# Two requests at the same moment ------------------------------------------------------------


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps serving its first snapshot of the statistics.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def post_in_a_thread(barrier, user, url, body, answers):
    """Log in, wait for the other browser, then post; in a thread, so its own connection."""

    def run():
        try:
            client = client_for(user)
            barrier.wait(timeout=10)
            answers[user.username] = client.post(url, body)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("managers_path", ["detail page", "bulk status"])
def test_two_status_changes_at_the_same_moment_are_both_recorded_in_order(
    manager, counsellor, managers_path
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    customer = CustomerFactory(assigned_to=counsellor, name="Anjali Nair")
    counsellors_call = {"status": S.INTERESTED, "notes": "Arjun: parents like the plan"}
    if managers_path == "detail page":
        managers_url = f"/customers/{customer.pk}/status/"
        managers_call = {"status": S.PLAN_PRESENTED, "notes": "Priya: presented the plan"}
    else:
        managers_url = "/customers/status/"
        managers_call = {"customer_ids": [customer.pk], "status": S.PLAN_PRESENTED}
    barrier, answers = threading.Barrier(2), {}

    # Hold the customer's row while both post, so both really are waiting at the same moment.
    with transaction.atomic():
        Customer.objects.select_for_update().get(pk=customer.pk)
        threads = [
            post_in_a_thread(
                barrier, counsellor, f"/customers/{customer.pk}/status/", counsellors_call, answers
            ),
            post_in_a_thread(barrier, manager, managers_url, managers_call, answers),
        ]
        deadline = time.monotonic() + 10
        while waiting_for_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert waiting_for_locks() == 2
    for thread in threads:
        thread.join(timeout=10)

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "arjun": 302,
        "manager": 302,
    }
    first, second = CustomerStatusHistory.objects.filter(customer=customer).order_by("changed_at")
    assert first.previous_status == S.NEW
    assert second.previous_status == first.new_status  # recorded from what the first left
    assert {first.new_status, second.new_status} == {S.INTERESTED, S.PLAN_PRESENTED}
    assert Customer.objects.get(pk=customer.pk).status == second.new_status  # the later wins
    # Both changes are on the detail page, newest first.
    timeline = timeline_html(client_for(manager).get(f"/customers/{customer.pk}/"))
    newest, older = timeline.split("<li")[1:]
    assert newest.index(S(first.new_status).label) < newest.index(S(second.new_status).label)
    assert older.index(S.NEW.label) < older.index(S(first.new_status).label)
    if managers_path == "detail page":
        assert timeline.count("Arjun: parents like the plan") == 1
        assert timeline.count("Priya: presented the plan") == 1


# A page loaded before someone else's change, submitted after it ------------------------------


@pytest.mark.django_db
def test_a_status_form_loaded_before_another_change_records_on_top_of_it_visibly(
    manager, counsellor
):
    customer = CustomerFactory(assigned_to=counsellor, name="Anjali Nair")
    as_counsellor, as_manager = client_for(counsellor), client_for(manager)
    page = as_counsellor.get(f"/customers/{customer.pk}/")  # Arjun opens the page
    as_manager.post(  # meanwhile Priya records a call
        f"/customers/{customer.pk}/status/", {"status": S.VALID, "notes": "Priya: verified"}
    )
    arjuns_form = {
        **submitted_unchanged(page.context["status_form"]),
        "status": S.INTERESTED,
        "notes": "Arjun: interested",
    }

    response = as_counsellor.post(f"/customers/{customer.pk}/status/", arjuns_form)

    assert response.status_code == 302
    assert flashes(response) == [("success", "Saved: “Interested”.")]
    history = CustomerStatusHistory.objects.filter(customer=customer).order_by("changed_at")
    assert [(h.previous_status, h.new_status) for h in history] == [
        (S.NEW, S.VALID),
        (S.VALID, S.INTERESTED),
    ]
    timeline = timeline_html(as_counsellor.get(f"/customers/{customer.pk}/"))
    assert timeline.index("Arjun: interested") < timeline.index("Priya: verified")


@pytest.mark.django_db
def test_a_status_form_loaded_before_someone_planned_a_follow_up_does_not_drop_it(
    manager, counsellor
):
    customer = CustomerFactory(assigned_to=counsellor, name="Anjali Nair")
    as_counsellor, as_manager = client_for(counsellor), client_for(manager)
    page = as_counsellor.get(f"/customers/{customer.pk}/")  # no follow-up planned yet
    planned = timezone.localdate() + timedelta(days=3)
    as_manager.post(
        f"/customers/{customer.pk}/status/",
        {"status": S.FOLLOW_UP, "notes": "Call back Monday", "follow_up_on": planned.isoformat()},
    )
    arjuns_form = {
        **submitted_unchanged(page.context["status_form"]),
        "status": S.INTERESTED,
        "notes": "Arjun: interested",
    }

    response = as_counsellor.post(f"/customers/{customer.pk}/status/", arjuns_form)

    customer.refresh_from_db()
    told = response.status_code != 302 and bool(form_errors(response))
    assert told or customer.follow_up_on == planned


@pytest.mark.django_db
@pytest.mark.parametrize("first_editor", ["counsellor", "manager"])
def test_an_edit_page_loaded_before_another_edit_does_not_undo_it_silently(
    manager, counsellor, first_editor
):
    customer = CustomerFactory(
        assigned_to=counsellor, name="Anjali Nair", notes="Wants hostel details"
    )
    editors = {"manager": client_for(manager), "counsellor": client_for(counsellor)}
    late = editors["counsellor" if first_editor == "manager" else "manager"]
    page = late.get(f"/customers/{customer.pk}/edit/")  # opened, then left for a while
    # Meanwhile the other opens the same page and saves new internal notes.
    other_page = editors[first_editor].get(f"/customers/{customer.pk}/edit/")
    saved = editors[first_editor].post(
        f"/customers/{customer.pk}/edit/",
        {**submitted_unchanged(other_page.context["form"]), "notes": "Fees paid; hostel booked"},
    )
    assert saved.status_code == 302
    late_form = {**submitted_unchanged(page.context["form"]), "remark": "Father called too"}

    response = late.post(f"/customers/{customer.pk}/edit/", late_form)

    customer.refresh_from_db()
    told = response.status_code != 302 and bool(form_errors(response))
    assert told or customer.notes == "Fees paid; hostel booked"
