"""POST /customers/<id>/call/: a call's outcome recorded from a My day card or a row of My
customers, with the forms those pages render (WebTest, CSRF checked), plain and htmx."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerNote, CustomerStatusHistory

from .pages import login_url_for

S = Customer.Status
HTMX = {"HX-Request": "true"}


def url(customer):
    return f"/customers/{customer.pk}/call/"


@pytest.fixture
def due_today(counsellor):
    """A customer of the counsellor's, due for a call today: on My day."""
    return CustomerFactory(
        name="Anjali Nair",
        assigned_to=counsellor,
        status=S.FOLLOW_UP,
        follow_up_on=timezone.localdate(),
    )


def call_form(app, counsellor, customer):
    """The card's call form as My day renders it."""
    return app.get("/dashboard/", user=counsellor).forms[f"call-{customer.pk}"]


def press_in_row(page, customer, label, **kwargs):
    """Press `label` in the customer's row of the list, as a browser does: the button's
    `formaction` and its name and value, with the rest of the list's (bulk) form."""
    form = page.forms["bulk-form"]
    action = f"/customers/{customer.pk}/call/"
    buttons = [
        b
        for b in form.html.find_all("button", attrs={"formaction": action})
        if b.get_text(strip=True) == label
    ]
    assert len(buttons) == 1, f"expected one {label!r} button for {customer}, found {buttons}"
    fields = [*form.submit_fields(), (buttons[0]["name"], buttons[0]["value"])]
    return form.response.goto(action, method="post", params=fields, **kwargs)


# Who may -------------------------------------------------------------------------------------


def test_get_is_not_allowed(counsellor_client, customer):
    assert counsellor_client.get(url(customer)).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, customer):
    response = client.post(url(customer), {"outcome": "NO_ANSWER"})

    assert (response.status_code, response.url) == (302, login_url_for(url(customer)))
    customer.refresh_from_db()
    assert customer.status == S.NEW
    assert not CustomerNote.objects.exists()


def test_another_counsellors_customer_is_not_found_and_nothing_changes(
    counsellor_client, others_customer
):
    response = counsellor_client.post(url(others_customer), {"outcome": "WRONG_NUMBER"})

    assert response.status_code == 404
    others_customer.refresh_from_db()
    assert others_customer.status == S.NEW
    assert not CustomerStatusHistory.objects.exists()


def test_a_manager_may_record_a_call_for_anyones_customer(manager_client, manager, customer):
    response = manager_client.post(url(customer), {"outcome": "BUSY"})

    assert (response.status_code, response.url) == (302, f"/customers/{customer.pk}/")
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.new_status, row.changed_by) == (S.CALL_NOT_ATTENDED, manager)


# From My day -------------------------------------------------------------------------------


def test_no_answer_from_my_day_goes_back_to_my_day_with_the_attempt_and_the_next_call(
    app, counsellor, due_today
):
    form = call_form(app, counsellor, due_today)

    response = form.submit("outcome", value="NO_ANSWER")

    assert (response.status_code, response.location) == (302, "/dashboard/")
    due_today.refresh_from_db()
    assert due_today.status == S.CALL_NOT_ATTENDED
    # The date and time the card offered, untouched: the next working day, at this time.
    assert due_today.follow_up_on.strftime("%d/%m/%Y") == form["follow_up_on"].value
    assert due_today.follow_up_time.strftime("%H:%M") == form["follow_up_time"].value
    assert due_today.follow_up_on > timezone.localdate()
    page = response.follow()
    when = due_today.follow_up_on.strftime("%a %d/%m/%Y")
    assert f"Anjali Nair: No answer (1st attempt). Next call {when} at" in page.text
    assert CustomerStatusHistory.objects.filter(customer=due_today).count() == 1


def test_the_second_unanswered_call_from_my_day_is_the_2nd_attempt(app, counsellor, due_today):
    call_form(app, counsellor, due_today).submit("outcome", value="NO_ANSWER")
    # The next day it is due again.
    Customer.objects.filter(pk=due_today.pk).update(follow_up_on=timezone.localdate())
    form = call_form(app, counsellor, due_today)

    page = form.submit("outcome", value="SWITCHED_OFF").follow()

    assert "Anjali Nair: Switched off (2nd attempt)." in page.text
    # Still one status change (into Call Not Attended); the attempts are notes.
    assert CustomerStatusHistory.objects.filter(customer=due_today).count() == 1
    assert due_today.customer_notes.count() == 2


def test_the_next_call_can_be_moved_on_the_card(app, counsellor, due_today):
    form = call_form(app, counsellor, due_today)
    later = timezone.localdate() + timedelta(days=4)
    form["follow_up_on"] = later.strftime("%d/%m/%Y")  # typed day first
    form["follow_up_time"] = "17:30"

    form.submit("outcome", value="BUSY")

    due_today.refresh_from_db()
    assert (str(due_today.follow_up_on), str(due_today.follow_up_time)) == (
        later.isoformat(),
        "17:30:00",
    )


def test_connected_from_my_day_needs_a_status_and_a_note(app, counsellor, due_today):
    form = call_form(app, counsellor, due_today)
    assert form["status"].value == ""  # no status until one is chosen
    form["status"] = "INTERESTED"
    form["note"] = "Wants the hostel fees."

    page = form.submit("outcome", value="CONNECTED").follow()

    due_today.refresh_from_db()
    assert due_today.status == S.INTERESTED
    assert "Anjali Nair: Connected, now “Interested”." in page.text
    row = CustomerStatusHistory.objects.get(customer=due_today)
    assert row.notes == "Connected: Wants the hostel fees."


def test_connected_without_a_status_or_note_says_so_and_keeps_what_was_typed(
    app, counsellor, due_today
):
    form = call_form(app, counsellor, due_today)
    form["note"] = "Father picked up, call back."

    page = form.submit("outcome", value="CONNECTED", status=400)

    assert "Choose the status after the call." in page.text
    again = page.forms[f"call-{due_today.pk}"]
    assert again["note"].value == "Father picked up, call back."
    assert again["next"].value == "/dashboard/"
    due_today.refresh_from_db()
    assert due_today.status == S.FOLLOW_UP
    assert not CustomerNote.objects.exists()
    # Put right on that page, it goes back to My day.
    again["status"] = "FOLLOW_UP"
    response = again.submit("outcome", value="CONNECTED")
    assert response.location == "/dashboard/"
    due_today.refresh_from_db()
    assert due_today.status == S.FOLLOW_UP
    assert due_today.customer_notes.get().body == "Connected: Father picked up, call back."


def test_a_next_call_in_the_past_is_refused_and_nothing_changes(app, counsellor, due_today):
    form = call_form(app, counsellor, due_today)
    form["follow_up_on"] = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")

    page = form.submit("outcome", value="NO_ANSWER", status=400)

    assert "The next call&#x27;s date is in the past." in page.text
    due_today.refresh_from_db()
    assert due_today.status == S.FOLLOW_UP
    assert not CustomerNote.objects.exists()


def test_with_htmx_the_card_comes_back_with_what_was_recorded(app, counsellor, due_today):
    form = call_form(app, counsellor, due_today)

    card = form.submit("outcome", value="NO_ANSWER", headers=HTMX)

    assert card.status_code == 200
    assert card.text.lstrip().startswith("<li")
    assert 'role="status"' in card.text
    assert "Anjali Nair: No answer (1st attempt). Next call" in card.text
    # Its form is ready for the next call, still going back to My day without JavaScript.
    assert card.forms[f"call-{due_today.pk}"]["next"].value == "/dashboard/"
    assert "Call Not Attended" in card.text


def test_with_htmx_a_refused_call_comes_back_on_its_card(app, counsellor, due_today):
    form = call_form(app, counsellor, due_today)
    form["status"] = "INTERESTED"

    card = form.submit("outcome", value="CONNECTED", headers=HTMX)

    assert card.status_code == 200
    assert "Write what was said on the call." in card.text
    assert "<details" in card.text and "open" in card.text
    assert not CustomerNote.objects.exists()


def test_a_next_page_elsewhere_is_not_followed(counsellor_client, customer):
    response = counsellor_client.post(
        url(customer), {"outcome": "NO_ANSWER", "next": "https://evil.example/"}
    )

    assert response.url == f"/customers/{customer.pk}/"


# From My customers -------------------------------------------------------------------------


def test_wrong_number_from_my_customers_goes_back_to_the_list_as_it_was(app, counsellor, customer):
    CustomerFactory(name="Rahul Varma", assigned_to=counsellor)
    page = app.get("/customers/", {"q": "Anjali"}, user=counsellor)

    response = press_in_row(page, customer, "Wrong number")

    assert response.status_code == 302
    assert response.location == "/customers/?q=Anjali"
    customer.refresh_from_db()
    assert customer.status == S.INVALID
    assert customer.status_history.get().notes == "Wrong number"
    assert "Anjali Nair: Wrong number, now “Invalid”." in response.follow().text


def test_no_answer_from_my_customers_with_htmx_shows_the_list_again(app, counsellor, customer):
    page = app.get("/customers/", user=counsellor)

    results = press_in_row(page, customer, "No answer", headers=HTMX)

    assert results.status_code == 200
    assert 'id="bulk-form"' in results.text
    assert "Anjali Nair: No answer (1st attempt). Next call" in results.text
    customer.refresh_from_db()
    assert customer.status == S.CALL_NOT_ATTENDED


def test_a_managers_list_has_no_call_buttons(app, manager, customer):
    page = app.get("/customers/", user=manager)

    assert "data-call-outcome" not in page.text
