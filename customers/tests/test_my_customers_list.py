"""A counsellor's "My customers": what is due first, when to call next, what was said last, and
Call/WhatsApp on every row."""

from datetime import time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer

S = Customer.Status
URL = "/customers/"


def shown(response) -> list[str]:
    return [customer.name for customer in response.context["page"].object_list]


@pytest.fixture
def due(counsellor):
    """The counsellor's customers, added newest-last in an order unlike what is due."""
    today = timezone.localdate()
    plan = [
        ("No plan", None, None),
        ("Next week", today + timedelta(days=7), None),
        ("Today at 4", today, time(16, 0)),
        ("Today at 10", today, time(10, 0)),
        ("Tomorrow", today + timedelta(days=1), None),
        ("A week late", today - timedelta(days=7), None),
        ("Yesterday", today - timedelta(days=1), None),
    ]
    return {
        name: CustomerFactory(
            name=name, assigned_to=counsellor, follow_up_on=day, follow_up_time=at
        )
        for name, day, at in plan
    }


def test_what_is_due_comes_first_overdue_then_today_then_upcoming_then_none(counsellor_client, due):
    response = counsellor_client.get(URL)

    assert shown(response) == [
        "A week late",
        "Yesterday",
        "Today at 10",
        "Today at 4",
        "Tomorrow",
        "Next week",
        "No plan",
    ]


def test_the_sort_control_offers_newest_first_instead(counsellor_client, due):
    page = counsellor_client.get(URL)
    choices = dict(page.context["sorts"])
    assert choices[""] == "Follow-up due first"

    response = counsellor_client.get(URL, {"sort": "-created"})

    assert shown(response)[0] == "Yesterday"
    assert shown(response)[-1] == "No plan"


def test_a_manager_still_sees_the_newest_first(manager_client, due):
    assert shown(manager_client.get(URL))[0] == "Yesterday"


def test_each_row_shows_the_next_follow_up_and_the_last_note(counsellor_client, counsellor, due):
    due["Yesterday"].add_note("Asked for the fee structure.", by=counsellor)
    due["Yesterday"].add_note("Father will call back after 6.", by=counsellor)

    html = BeautifulSoup(counsellor_client.get(URL).content, "html.parser")

    rows = {row.find("a").get_text(strip=True): row for row in html.select("[data-customer-row]")}
    late = rows["Yesterday"]
    assert "overdue" in late.find(attrs={"data-testid": "next-follow-up"}).get_text()
    note = late.find(attrs={"data-testid": "last-note"}).get_text(" ", strip=True)
    assert "Father will call back after 6." in note
    assert "fee structure" not in note
    today = rows["Today at 4"].find(attrs={"data-testid": "next-follow-up"})
    assert " ".join(today.get_text().split()) == "Follow-up today at 16:00"
    assert "No follow-up" in rows["No plan"].get_text()


def test_each_row_has_the_same_call_and_whatsapp_links_as_the_component(counsellor_client, due):
    html = BeautifulSoup(counsellor_client.get(URL).content, "html.parser")

    for customer in due.values():
        [row] = [r for r in html.select("[data-customer-row]") if r.find("a").text == customer.name]
        component = BeautifulSoup(
            render_to_string("components/_contact_buttons.html", {"customer": customer}),
            "html.parser",
        )
        for testid in ("call-link", "whatsapp-link"):
            mine, theirs = (part.find(attrs={"data-testid": testid}) for part in (row, component))
            assert (mine["href"], mine["aria-label"], mine.text) == (
                theirs["href"],
                theirs["aria-label"],
                theirs.text,
            )


def test_the_row_link_is_the_customers_page(counsellor_client, due):
    html = BeautifulSoup(counsellor_client.get(URL).content, "html.parser")

    first = html.select_one("[data-customer-row] a")
    assert first["href"] == f"/customers/{due['A week late'].pk}/"


def test_a_manager_row_has_no_call_buttons_and_the_counsellor_row_no_checkboxes(
    client, manager, counsellor, due
):
    client.force_login(manager)
    assert b'data-testid="call-link"' not in client.get(URL).content

    client.force_login(counsellor)
    page = client.get(URL).content
    assert b'name="customer_ids"' not in page
    assert b'data-testid="select-toggle"' not in page
