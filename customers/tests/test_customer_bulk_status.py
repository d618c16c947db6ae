"""POST /customers/status/: a manager moves ticked rows, or every row matching the filter."""

import uuid
from urllib.parse import urlencode

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

from .pages import login_url_for, messages_of, template_names

URL = "/customers/status/"
S = Customer.Status


def ids(*customers):
    return [str(c.pk) for c in customers]


def statuses(customers):
    return {c.pk: Customer.objects.get(pk=c.pk).status for c in customers}


def test_get_is_not_allowed(manager_client):
    assert manager_client.get(URL).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, customer):
    response = client.post(URL, {"customer_ids": ids(customer), "status": "VALID"})

    assert response.status_code == 302
    assert response.url == login_url_for(URL)
    assert statuses([customer]) == {customer.pk: S.NEW}


def test_a_counsellor_may_not_bulk_change_status(counsellor_client, customer):
    response = counsellor_client.post(URL, {"customer_ids": ids(customer), "status": "VALID"})

    assert response.status_code == 403
    assert statuses([customer]) == {customer.pk: S.NEW}
    assert not CustomerStatusHistory.objects.exists()


def test_a_manager_moves_the_ticked_customers_with_a_note(manager_client, manager):
    picked = [CustomerFactory(status=S.NEW), CustomerFactory(status=S.CALL_NOT_ATTENDED)]
    left_alone = CustomerFactory(status=S.NEW)

    response = manager_client.post(
        URL, {"customer_ids": ids(*picked), "status": "VALID", "notes": "Numbers verified"}
    )

    assert response.status_code == 302
    assert response.url == "/customers/"
    assert statuses(picked) == {c.pk: S.VALID for c in picked}
    assert statuses([left_alone]) == {left_alone.pk: S.NEW}
    rows = {r.customer_id: r for r in CustomerStatusHistory.objects.all()}
    assert {pk: r.previous_status for pk, r in rows.items()} == {c.pk: c.status for c in picked}
    assert {(r.new_status, r.changed_by, r.notes) for r in rows.values()} == {
        (S.VALID, manager, "Numbers verified")
    }
    assert messages_of(response) == ["2 customers moved to “Valid”."]


def test_customers_already_in_that_status_get_no_history(manager_client):
    already = CustomerFactory(status=S.VALID)
    moving = CustomerFactory(status=S.NEW)

    response = manager_client.post(URL, {"customer_ids": ids(already, moving), "status": "VALID"})

    assert response.status_code == 302
    assert list(CustomerStatusHistory.objects.values_list("customer", flat=True)) == [moving.pk]
    assert messages_of(response) == ["1 customer moved to “Valid”."]


def test_the_redirect_keeps_the_list_filter(manager_client, customer):
    query = urlencode({"assigned_to": "none", "sort": "-name"})

    response = manager_client.post(
        URL, {"customer_ids": ids(customer), "status": "VALID", "query": query}
    )

    assert response.url == f"/customers/?{query}"


@pytest.fixture
def kochi_leads(db):
    """30 matching customers (more than a page) next to ones the filter leaves out."""
    matching = [
        CustomerFactory(name=f"Kochi lead {n}", area="Kochi", status=S.NEW) for n in range(30)
    ]
    CustomerFactory.create_batch(2, area="Kochi", status=S.INTERESTED)
    CustomerFactory.create_batch(2, area="Thrissur", status=S.NEW)
    return matching


def select_all(manager_client, query, status):
    return manager_client.post(
        URL,
        {"select_all": "on", "query": urlencode(query, doseq=True), "status": status, "notes": ""},
    )


def assert_only_these_moved(matching, status):
    assert set(Customer.objects.filter(status=status)) == set(matching)
    history = CustomerStatusHistory.objects.all()
    assert sorted(r.customer_id for r in history) == sorted(c.pk for c in matching)


def test_select_all_moves_exactly_the_customers_matching_a_search(manager_client, kochi_leads):
    response = select_all(manager_client, {"q": "Kochi lead"}, "INVALID")

    assert response.status_code == 302
    assert_only_these_moved(kochi_leads, S.INVALID)
    assert messages_of(response) == ["30 customers moved to “Invalid”."]


def test_select_all_moves_exactly_the_customers_matching_a_status_filter(
    manager_client, kochi_leads
):
    response = select_all(manager_client, {"q": "Kochi", "status": "NEW"}, "INVALID")

    assert response.status_code == 302
    assert_only_these_moved(kochi_leads, S.INVALID)


def test_select_all_works_when_the_list_was_sorted_by_counsellor(manager_client, kochi_leads):
    response = select_all(manager_client, {"q": "Kochi lead", "sort": "-assigned_to"}, "INVALID")

    assert response.status_code == 302
    assert_only_these_moved(kochi_leads, S.INVALID)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"status": "VALID"}, "Select at least one customer first."),
        ({"customer_ids": ["not-a-uuid"], "status": "VALID"}, "“not-a-uuid” is not a valid UUID."),
        ({"customer_ids": [str(uuid.uuid4())], "status": "VALID"}, "Select a valid choice"),
        ({"customer_ids": "CUSTOMER", "status": "ENROLLED"}, "Select a valid choice"),
        ({"customer_ids": "CUSTOMER"}, "Choose the status to move the selected customers to."),
    ],
    ids=["nothing selected", "invalid uuid", "unknown customer", "unknown status", "no status"],
)
def test_bad_input_is_explained_and_changes_nothing(manager_client, customer, data, message):
    if data.get("customer_ids") == "CUSTOMER":
        data = {**data, "customer_ids": ids(customer)}

    response = manager_client.post(URL, data)

    assert response.status_code == 302
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert statuses([customer]) == {customer.pk: S.NEW}
    assert not CustomerStatusHistory.objects.exists()


def test_htmx_gets_the_refreshed_results_with_the_message(manager_client):
    picked = CustomerFactory(name="Kavya Pillai")

    response = manager_client.post(
        URL,
        {"customer_ids": ids(picked), "status": "INTERESTED", "query": "status=INTERESTED"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert template_names(response)[0] == "customers/_results.html"
    assert list(response.context["page"].object_list) == [picked]
    assert "1 customer moved to “Interested”." in response.content.decode()
    assert statuses([picked]) == {picked.pk: S.INTERESTED}
