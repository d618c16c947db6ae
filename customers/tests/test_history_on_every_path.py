"""Every path that changes a status or an assignment leaves exactly one history row per real change
and none for a no-op. A new path (an import, an API) gets a line in PATHS below."""

from urllib.parse import urlencode

import pytest

from customers.models import Customer

from .pages import submit_admin_change_form

S = Customer.Status


@pytest.fixture
def people(manager, counsellor, other_counsellor, superuser):
    return {
        "manager": manager,
        "counsellor": counsellor,
        "other_counsellor": other_counsellor,
        "superuser": superuser,
    }


def only_this_customer(customer):
    """The list filter a manager would type to find just this customer."""
    return urlencode({"q": customer.phone_number})


# Status paths ------------------------------------------------------------------------------


def status_by_detail_form(client, customer, status, people):
    client.force_login(people["counsellor"])
    client.post(f"/customers/{customer.pk}/status/", {"status": status, "notes": "On the call"})


def status_by_detail_form_htmx(client, customer, status, people):
    client.force_login(people["counsellor"])
    client.post(
        f"/customers/{customer.pk}/status/", {"status": status}, headers={"HX-Request": "true"}
    )


def status_by_call_outcome(client, customer, status, people):
    client.force_login(people["counsellor"])
    client.post(
        f"/customers/{customer.pk}/call/",
        {"outcome": "CONNECTED", "status": status, "note": "On the call"},
        headers={"HX-Request": "true"},
    )


def status_by_bulk_action(client, customer, status, people):
    client.force_login(people["manager"])
    client.post("/customers/status/", {"customer_ids": [str(customer.pk)], "status": status})


def status_by_bulk_action_on_all_matching(client, customer, status, people):
    client.force_login(people["manager"])
    client.post(
        "/customers/status/",
        {"select_all": "on", "query": only_this_customer(customer), "status": status},
    )


def status_by_admin(client, customer, status, people):
    client.force_login(people["superuser"])
    submit_admin_change_form(client, customer, status=status)


def status_by_model_method(client, customer, status, people):
    Customer.objects.get(pk=customer.pk).change_status(status, by=people["manager"])


def status_by_queryset(client, customer, status, people):
    Customer.objects.filter(pk=customer.pk).change_status(status, by=people["manager"])


STATUS_PATHS = [
    status_by_detail_form,
    status_by_detail_form_htmx,
    status_by_call_outcome,
    status_by_bulk_action,
    status_by_bulk_action_on_all_matching,
    status_by_admin,
    status_by_model_method,
    status_by_queryset,
]


@pytest.mark.parametrize("change", STATUS_PATHS, ids=lambda path: path.__name__)
def test_status_changes_leave_one_row_each_and_no_ops_none(client, customer, people, change):
    change(client, customer, S.VALID, people)
    change(client, customer, S.VALID, people)  # no change: no row
    change(client, customer, S.INTERESTED, people)

    customer.refresh_from_db()
    assert customer.status == S.INTERESTED
    rows = customer.status_history.order_by("changed_at")
    assert [(r.previous_status, r.new_status) for r in rows] == [
        (S.NEW, S.VALID),
        (S.VALID, S.INTERESTED),
    ]


# Assignment paths --------------------------------------------------------------------------


def assign_by_detail_form(client, customer, assignee, people):
    client.force_login(people["manager"])
    client.post(f"/customers/{customer.pk}/assign/", {"assigned_to": assignee or ""})


def assign_by_bulk_action(client, customer, assignee, people):
    client.force_login(people["manager"])
    client.post(
        "/customers/assign/",
        {"customer_ids": [str(customer.pk)], "assigned_to": assignee or ""},
    )


def assign_by_bulk_action_on_all_matching(client, customer, assignee, people):
    client.force_login(people["manager"])
    client.post(
        "/customers/assign/",
        {"select_all": "on", "query": only_this_customer(customer), "assigned_to": assignee or ""},
    )


def assign_by_admin(client, customer, assignee, people):
    client.force_login(people["superuser"])
    submit_admin_change_form(client, customer, assigned_to=assignee or "")


def assign_by_model_method(client, customer, assignee, people):
    target = people["other_counsellor"] if assignee else None
    Customer.objects.get(pk=customer.pk).assign_to(target, by=people["manager"])


def assign_by_queryset(client, customer, assignee, people):
    target = people["other_counsellor"] if assignee else None
    Customer.objects.filter(pk=customer.pk).assign_to(target, by=people["manager"])


ASSIGNMENT_PATHS = [
    assign_by_detail_form,
    assign_by_bulk_action,
    assign_by_bulk_action_on_all_matching,
    assign_by_admin,
    assign_by_model_method,
    assign_by_queryset,
]


@pytest.mark.parametrize("change", ASSIGNMENT_PATHS, ids=lambda path: path.__name__)
def test_assignment_changes_leave_one_row_each_and_no_ops_none(
    client, customer, people, counsellor, other_counsellor, change
):
    change(client, customer, str(other_counsellor.pk), people)
    change(client, customer, str(other_counsellor.pk), people)  # no change: no row
    change(client, customer, None, people)
    change(client, customer, None, people)  # still nobody: no row

    customer.refresh_from_db()
    assert customer.assigned_to is None
    rows = customer.assignment_history.order_by("changed_at")
    assert [(r.previous_assignee, r.new_assignee) for r in rows] == [
        (counsellor, other_counsellor),
        (other_counsellor, None),
    ]
