"""A counsellor's dashboard: their day's call queue and their own numbers, nobody else's."""

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerNote
from dashboard.stats import QUEUE_LENGTH

from .conftest import day, expected_numbers, make_customer, numbers

pytestmark = pytest.mark.django_db
S = Customer.Status


def queue(response):
    """{section: [customer names, in order]} of My day."""
    return {
        section["stat"].key: [customer.name for customer in section["customers"]]
        for section in response.context["sections"]
    }


def test_numbers_count_only_their_own_customers(counsellor_client, counsellor_expected):
    response = counsellor_client.get("/dashboard/")

    assert response.templates[0].name == "dashboard/counsellor.html"
    assert numbers(response) == expected_numbers(response, counsellor_expected)
    assert set(counsellor_expected) <= set(numbers(response))


def test_my_day_lists_overdue_then_today_then_new_enquiries(counsellor_client, book):
    response = counsellor_client.get("/dashboard/")

    # Oldest follow-up first; Bala is new but has a call planned, so she is not "not contacted".
    assert queue(response) == {
        "overdue": ["Chitra", "Bala"],
        "due_today": ["Deepak"],
        "not_contacted": ["Asha"],
    }
    page = response.content.decode()
    sections = [
        page.index(f'data-queue="{key}"') for key in ("overdue", "due_today", "not_contacted")
    ]
    assert sections == sorted(sections)


def test_each_customer_has_call_and_whatsapp_links_and_the_last_note(counsellor_client, book):
    response = counsellor_client.get("/dashboard/")

    bala = book.customers["Bala"]
    page = response.content.decode()
    assert f'href="tel:{bala.phone_number}"' in page
    assert f'href="https://wa.me/{bala.phone_number.removeprefix("+")}"' in page
    assert f'href="/customers/{bala.pk}/"' in page
    notes = {
        c.name: c.last_note
        for section in response.context["sections"]
        for c in section["customers"]
    }
    assert notes == {
        "Chitra": "Call after her exams.",
        "Bala": "Busy; call later.",
        "Deepak": None,
        "Asha": None,
    }


def test_the_last_note_can_be_one_written_with_a_status_change(counsellor_client, counsellor):
    customer = CustomerFactory(assigned_to=counsellor, name="Ravi", follow_up_on=day(2))
    customer.record_progress(
        by=counsellor, status=S.CALL_NOT_ATTENDED, note="Switched off.", follow_up_on=day(0)
    )

    response = counsellor_client.get("/dashboard/")

    [item] = response.context["sections"][1]["customers"]
    assert (item.name, item.last_note) == ("Ravi", "Switched off.")
    assert CustomerNote.objects.get().status_change is not None


def test_sections_stop_at_the_cap_and_link_to_all(counsellor_client, counsellor):
    for n in range(QUEUE_LENGTH + 3):
        make_customer(f"Lead{n:02}", counsellor, S.FOLLOW_UP, created=20, follow_up=-1 - n)

    response = counsellor_client.get("/dashboard/")

    overdue = response.context["sections"][0]
    assert overdue["stat"].count == QUEUE_LENGTH + 3
    assert len(overdue["customers"]) == QUEUE_LENGTH
    assert overdue["customers"][0].name == f"Lead{QUEUE_LENGTH + 2:02}"  # the oldest
    page = response.content.decode()
    assert page.count("See all") == 1
    assert page.index(f"See all {QUEUE_LENGTH + 3}") < page.index('data-queue="due_today"')


def test_recent_activity_is_their_latest_changes_and_notes_on_their_customers(
    counsellor_client, book
):
    response = counsellor_client.get("/dashboard/")

    activity = response.context["activity"]
    assert len(activity) == 10
    described = [
        (event.customer.name, getattr(event, "new_status", None) or event.body)
        for event in activity
    ]
    # Today's first, newest first; Mohan is Meera's now; Esha's first move is the eleventh.
    assert described[:3] == [
        ("Esha", S.ADMISSION),
        ("Chitra", "Call after her exams."),
        ("Chitra", S.FOLLOW_UP),
    ]
    assert "Mohan" not in {name for name, _ in described}
    assert ("Esha", S.VALID) not in described


def test_other_counsellors_customers_never_show(client, book):
    client.force_login(book.meera)

    response = client.get("/dashboard/")

    assert numbers(response)["customers"] == 5
    assert queue(response) == {"overdue": [], "due_today": [], "not_contacted": []}
    page = response.content.decode()
    for name in ("Asha", "Bala", "Chitra", "Deepak", "Jaya", "Lata"):
        assert name not in page
    assert "Nothing overdue." in page


def test_empty_dashboard(counsellor_client):
    response = counsellor_client.get("/dashboard/")

    counts = numbers(response)
    assert counts and set(counts.values()) == {0}
    page = response.content.decode()
    assert "Every new enquiry has been called." in page
    assert "Status changes and notes you record show here." in page
