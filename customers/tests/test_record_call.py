"""Customer.record_call: each call outcome's status, follow-up, history row and note, and the
unanswered attempts counted from the timeline."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from customers.models import (
    Customer,
    CustomerNote,
    CustomerStatusHistory,
    call_note,
    next_call,
    next_working_day,
    ordinal,
)

S = Customer.Status
O = Customer.CallOutcome  # noqa: E741
UNANSWERED = [O.NO_ANSWER, O.BUSY, O.SWITCHED_OFF]
SATURDAY = date(2026, 12, 5)


def latest_note(customer):
    return customer.customer_notes.order_by("-created_at").first()


def planned_now():
    """The default next call for a call recorded now, and a minute later (the clock moves)."""
    now = timezone.localtime()
    return {next_call(now), next_call(now + timedelta(minutes=1))}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 30), date(2026, 12, 1)),  # Monday -> Tuesday
        (date(2026, 12, 4), SATURDAY),  # Friday -> Saturday: Saturday is a working day
        (SATURDAY, date(2026, 12, 7)),  # Saturday -> Monday: Sunday is skipped
        (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday -> Monday
        (date(2026, 12, 31), date(2027, 1, 1)),  # over the year's end
    ],
)
def test_the_next_working_day_skips_sunday(day, expected):
    assert next_working_day(day) == expected


def test_the_next_call_is_the_next_working_day_at_the_same_minute():
    saturday_evening = datetime(2026, 12, 5, 18, 45, 31, 999)

    assert next_call(saturday_evening) == (date(2026, 12, 7), time(18, 45))


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_attempts_are_numbered_in_english(number, words):
    assert ordinal(number) == words


def test_the_note_names_the_outcome_the_attempt_and_what_was_said():
    assert call_note(O.NO_ANSWER, 2) == "No answer (2nd attempt)"
    assert call_note(O.CONNECTED, 0, "Wants hostel fees.") == "Connected: Wants hostel fees."
    assert call_note(O.WRONG_NUMBER) == "Wrong number"


@pytest.mark.parametrize("outcome", UNANSWERED)
def test_an_unanswered_call_sets_call_not_attended_with_tomorrows_call_and_one_history_row(
    customer, counsellor, outcome
):
    attempt = customer.record_call(outcome, by=counsellor)

    customer.refresh_from_db()
    assert attempt == 1
    assert customer.status == S.CALL_NOT_ATTENDED
    assert (customer.follow_up_on, customer.follow_up_time) in planned_now()
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.previous_status, row.new_status, row.changed_by) == (
        S.NEW,
        S.CALL_NOT_ATTENDED,
        counsellor,
    )
    label = O(outcome).label
    assert row.notes == f"{label} (1st attempt)"
    note = CustomerNote.objects.get(customer=customer)
    assert (note.body, note.status_change, note.call_outcome) == (row.notes, row, outcome)
    # On the timeline once: the status change, with its note.
    assert [event.kind for event in customer.timeline()] == ["status"]


def test_the_next_call_can_be_chosen_instead_of_the_default(customer, counsellor):
    monday = next_working_day(timezone.localdate() + timedelta(days=3))

    customer.record_call(O.BUSY, by=counsellor, follow_up_on=monday, follow_up_time=time(16))

    customer.refresh_from_db()
    assert (customer.follow_up_on, customer.follow_up_time) == (monday, time(16))


def test_unanswered_calls_in_a_row_are_counted_and_only_the_first_changes_the_status(
    customer, counsellor
):
    attempts = [customer.record_call(outcome, by=counsellor) for outcome in UNANSWERED]

    assert attempts == [1, 2, 3]
    assert CustomerStatusHistory.objects.filter(customer=customer).count() == 1
    assert [note.body for note in customer.customer_notes.order_by("created_at")] == [
        "No answer (1st attempt)",
        "Busy (2nd attempt)",
        "Switched off (3rd attempt)",
    ]
    # The later attempts are notes of their own on the timeline, newest first.
    assert [event.kind for event in customer.timeline()] == ["note", "note", "status"]
    assert customer.unanswered_calls() == 3


def test_a_connected_call_starts_the_count_again(customer, counsellor):
    customer.record_call(O.NO_ANSWER, by=counsellor)
    customer.record_call(O.NO_ANSWER, by=counsellor)
    customer.record_call(O.CONNECTED, by=counsellor, status=S.FOLLOW_UP, note="Call after results.",
                         follow_up_on=timezone.localdate() + timedelta(days=2))  # fmt: skip
    customer.record_call(O.CONNECTED, by=counsellor, status=S.FOLLOW_UP, note="Still waiting.",
                         follow_up_on=timezone.localdate() + timedelta(days=3))  # fmt: skip

    assert customer.record_call(O.NO_ANSWER, by=counsellor) == 1
    assert latest_note(customer).body == "No answer (1st attempt)"


def test_a_status_saved_on_the_customers_page_starts_the_count_again(customer, counsellor):
    customer.record_call(O.NO_ANSWER, by=counsellor)
    customer.record_progress(by=counsellor, status=S.INTERESTED, note="Spoke to the father.")

    assert customer.record_call(O.SWITCHED_OFF, by=counsellor) == 1


def test_a_note_without_a_call_does_not_break_the_count(customer, counsellor):
    customer.record_call(O.NO_ANSWER, by=counsellor)
    customer.add_note("Sent the brochure on WhatsApp.", by=counsellor)

    assert customer.record_call(O.NO_ANSWER, by=counsellor) == 2


def test_attempts_are_counted_per_customer(customer, others_customer, counsellor, other_counsellor):
    customer.record_call(O.NO_ANSWER, by=counsellor)

    assert others_customer.record_call(O.NO_ANSWER, by=other_counsellor) == 1


def test_a_wrong_number_marks_the_lead_invalid_with_a_note_and_ends_the_follow_up(
    customer, counsellor
):
    customer.record_call(O.NO_ANSWER, by=counsellor)

    attempt = customer.record_call(O.WRONG_NUMBER, by=counsellor, note="A shop in Aluva.")

    customer.refresh_from_db()
    assert attempt == 0
    assert (customer.status, customer.follow_up_on, customer.follow_up_time) == (
        S.INVALID,
        None,
        None,
    )
    row = customer.status_history.get(new_status=S.INVALID)
    assert (row.previous_status, row.notes) == (
        S.CALL_NOT_ATTENDED,
        "Wrong number: A shop in Aluva.",
    )
    assert row.note.call_outcome == O.WRONG_NUMBER
    assert customer.status_history.count() == 2


def test_a_wrong_number_again_is_a_note_and_no_second_history_row(customer, counsellor):
    customer.record_call(O.WRONG_NUMBER, by=counsellor)
    customer.record_call(O.WRONG_NUMBER, by=counsellor)

    assert customer.status_history.count() == 1
    assert customer.customer_notes.count() == 2


def test_a_connected_call_sets_the_chosen_status_with_the_note(customer, counsellor):
    customer.record_call(
        O.CONNECTED, by=counsellor, status=S.INTERESTED, note="Wants B.Sc Nursing."
    )

    customer.refresh_from_db()
    assert customer.status == S.INTERESTED
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.previous_status, row.new_status) == (S.NEW, S.INTERESTED)
    assert row.notes == "Connected: Wants B.Sc Nursing."
    assert row.note.call_outcome == O.CONNECTED
    # No next call was given: none is planned.
    assert customer.follow_up_on is None


def test_a_connected_call_in_the_same_status_is_a_note_only(customer, counsellor):
    customer.record_call(O.CONNECTED, by=counsellor, status=S.INTERESTED, note="Wants fees.")
    customer.record_call(O.CONNECTED, by=counsellor, status=S.INTERESTED, note="Sent fees.")

    assert customer.status_history.count() == 1
    assert [event.kind for event in customer.timeline()] == ["note", "status"]
    assert latest_note(customer).body == "Connected: Sent fees."


def test_a_connected_call_needs_a_status(customer, counsellor):
    with pytest.raises(ValueError, match="status"):
        customer.record_call(O.CONNECTED, by=counsellor, note="Talked.")

    assert not customer.customer_notes.exists()


def test_an_unanswered_call_on_a_closed_customer_reopens_it_as_call_not_attended(
    customer, counsellor
):
    customer.change_status(S.NOT_INTERESTED, by=counsellor)

    customer.record_call(O.NO_ANSWER, by=counsellor)

    customer.refresh_from_db()
    assert customer.status == S.CALL_NOT_ATTENDED
    assert (customer.follow_up_on, customer.follow_up_time) in planned_now()
