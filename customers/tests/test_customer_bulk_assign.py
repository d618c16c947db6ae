"""POST /customers/assign/: a manager assigns ticked rows, or every row matching the filter."""

import uuid
from urllib.parse import urlencode

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory

from .pages import login_url_for, messages_of, template_names

URL = "/customers/assign/"
S = Customer.Status


def ids(*customers):
    return [str(c.pk) for c in customers]


def assignees(customers):
    """Where each customer is now, read back from the database."""
    return {c.pk: Customer.objects.get(pk=c.pk).assigned_to for c in customers}


def test_get_is_not_allowed(manager_client):
    assert manager_client.get(URL).status_code == 405


def test_anonymous_is_sent_to_login_and_nothing_changes(client, customer, other_counsellor):
    response = client.post(
        URL, {"customer_ids": ids(customer), "assigned_to": str(other_counsellor.pk)}
    )

    assert response.status_code == 302
    assert response.url == login_url_for(URL)
    customer.refresh_from_db()
    assert customer.assigned_to != other_counsellor


def test_a_counsellor_may_not_bulk_assign(counsellor_client, counsellor, customer, others_customer):
    response = counsellor_client.post(
        URL, {"customer_ids": ids(customer, others_customer), "assigned_to": str(counsellor.pk)}
    )

    assert response.status_code == 403
    others_customer.refresh_from_db()
    assert others_customer.assigned_to != counsellor
    assert not CustomerAssignmentHistory.objects.exists()


def test_a_manager_assigns_the_ticked_customers(manager_client, manager, counsellor):
    picked = CustomerFactory.create_batch(3)
    left_alone = CustomerFactory()

    response = manager_client.post(
        URL, {"customer_ids": ids(*picked), "assigned_to": str(counsellor.pk)}
    )

    assert response.status_code == 302
    assert response.url == "/customers/"
    assert assignees(picked) == {c.pk: counsellor for c in picked}
    assert assignees([left_alone]) == {left_alone.pk: None}
    rows = CustomerAssignmentHistory.objects.all()
    assert sorted(r.customer_id for r in rows) == sorted(c.pk for c in picked)
    assert {(r.previous_assignee, r.new_assignee, r.changed_by) for r in rows} == {
        (None, counsellor, manager)
    }
    assert messages_of(response) == ["3 customers assigned to Arjun Menon."]


def test_a_manager_unassigns_the_ticked_customers(manager_client, customer, others_customer):
    response = manager_client.post(
        URL, {"customer_ids": ids(customer, others_customer), "assigned_to": ""}
    )

    assert response.status_code == 302
    assert assignees([customer, others_customer]) == {customer.pk: None, others_customer.pk: None}
    assert CustomerAssignmentHistory.objects.filter(new_assignee=None).count() == 2
    assert messages_of(response) == ["2 customers assigned to nobody (unassigned)."]


def test_customers_already_with_that_counsellor_get_no_history(
    manager_client, counsellor, customer
):
    unassigned = CustomerFactory()

    response = manager_client.post(
        URL, {"customer_ids": ids(customer, unassigned), "assigned_to": str(counsellor.pk)}
    )

    assert response.status_code == 302
    assert list(CustomerAssignmentHistory.objects.values_list("customer", flat=True)) == [
        unassigned.pk
    ]
    assert messages_of(response) == ["1 customer assigned to Arjun Menon."]


def test_the_redirect_keeps_the_list_filter(manager_client, counsellor, customer):
    query = urlencode({"status": "NEW", "q": "Anjali"})

    response = manager_client.post(
        URL, {"customer_ids": ids(customer), "assigned_to": "", "query": query}
    )

    assert response.url == f"/customers/?{query}"


@pytest.mark.parametrize("query", ["//evil.example/", "next=https://evil.example", "a\r\nX: y"])
def test_a_crafted_query_never_redirects_off_the_list(manager_client, customer, query):
    response = manager_client.post(
        URL, {"customer_ids": ids(customer), "assigned_to": "", "query": query}
    )

    assert response.status_code == 302
    assert response.url.startswith("/customers/?")
    assert "\n" not in response.url


@pytest.fixture
def kochi_leads(other_counsellor):
    """30 matching customers (more than a page) next to ones the filter leaves out."""
    matching = [
        CustomerFactory(name=f"Kochi lead {n}", area="Kochi", status=S.NEW) for n in range(30)
    ]
    CustomerFactory.create_batch(2, area="Kochi", status=S.INTERESTED)
    CustomerFactory.create_batch(2, area="Thrissur", status=S.NEW)
    CustomerFactory.create_batch(2, area="Kochi", status=S.NEW, assigned_to=other_counsellor)
    return matching


def select_all(manager_client, query, assignee):
    return manager_client.post(
        URL,
        {
            "select_all": "on",
            "query": urlencode(query, doseq=True),
            # The first page's ticked boxes come along too; "all matching" wins over them.
            "customer_ids": [],
            "assigned_to": str(assignee.pk),
        },
    )


def assert_only_these_were_assigned(matching, assignee):
    assert set(Customer.objects.filter(assigned_to=assignee)) == set(matching)
    history = CustomerAssignmentHistory.objects.all()
    assert sorted(r.customer_id for r in history) == sorted(c.pk for c in matching)


def test_select_all_assigns_exactly_the_customers_matching_a_search(
    manager_client, counsellor, kochi_leads
):
    response = select_all(manager_client, {"q": "Kochi lead"}, counsellor)

    assert response.status_code == 302
    assert_only_these_were_assigned(kochi_leads, counsellor)
    assert messages_of(response) == ["30 customers assigned to Arjun Menon."]


def test_select_all_assigns_exactly_the_unassigned_matching_a_search(
    manager_client, counsellor, kochi_leads
):
    response = select_all(manager_client, {"q": "Kochi", "assigned_to": "none"}, counsellor)

    assert response.status_code == 302
    matching = Customer.objects.filter(
        pk__in=[c.pk for c in kochi_leads]
    ) | Customer.objects.filter(area="Kochi", status=S.INTERESTED)
    assert_only_these_were_assigned(list(matching), counsellor)


def test_select_all_assigns_exactly_the_customers_matching_a_status_filter(
    manager_client, counsellor, kochi_leads
):
    response = select_all(
        manager_client, {"q": "Kochi", "status": "NEW", "assigned_to": "none"}, counsellor
    )

    assert response.status_code == 302
    assert_only_these_were_assigned(kochi_leads, counsellor)


def test_select_all_works_when_the_list_was_sorted_by_counsellor(
    manager_client, counsellor, kochi_leads
):
    response = select_all(manager_client, {"q": "Kochi lead", "sort": "assigned_to"}, counsellor)

    assert response.status_code == 302
    assert_only_these_were_assigned(kochi_leads, counsellor)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"assigned_to": ""}, "Select at least one customer first."),
        # The user did pick something: the message names the bad id, not "select something".
        ({"customer_ids": ["not-a-uuid"], "assigned_to": ""}, "“not-a-uuid” is not a valid UUID."),
        ({"customer_ids": [str(uuid.uuid4())], "assigned_to": ""}, "Select a valid choice"),
    ],
    ids=["nothing selected", "invalid uuid", "unknown customer"],
)
def test_a_bad_selection_is_explained_and_changes_nothing(
    manager_client, customer, counsellor, data, message
):
    response = manager_client.post(URL, data)

    assert response.status_code == 302
    assert any(message in m for m in messages_of(response)), messages_of(response)
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert not CustomerAssignmentHistory.objects.exists()


def test_one_invalid_id_among_good_ones_changes_nothing(manager_client, customer, counsellor):
    response = manager_client.post(
        URL, {"customer_ids": [str(customer.pk), "not-a-uuid"], "assigned_to": ""}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor


@pytest.mark.parametrize(
    "assignee, message",
    [
        ("former_counsellor", "Select a valid choice"),
        ("manager", "Select a valid choice"),
        ("not-a-uuid", "“not-a-uuid” is not a valid UUID."),
    ],
    ids=["inactive counsellor", "a manager", "not a uuid"],
)
def test_an_assignee_who_cannot_take_customers_is_refused(
    manager_client, customer, counsellor, assignee, message, request
):
    if assignee != "not-a-uuid":
        assignee = str(request.getfixturevalue(assignee).pk)

    response = manager_client.post(URL, {"customer_ids": ids(customer), "assigned_to": assignee})

    assert response.status_code == 302
    assert any(message in m for m in messages_of(response)), messages_of(response)
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert not CustomerAssignmentHistory.objects.exists()


def test_a_post_without_the_assignee_field_changes_nothing(manager_client, customer, counsellor):
    # The list's select always sends `assigned_to` ("" means unassign on purpose); a request that
    # leaves the field out is malformed and must not silently unassign everyone it names.
    response = manager_client.post(URL, {"customer_ids": ids(customer)})

    assert response.status_code in {302, 400}
    customer.refresh_from_db()
    assert customer.assigned_to == counsellor
    assert not CustomerAssignmentHistory.objects.exists()


def test_htmx_gets_the_refreshed_results_with_the_message(manager_client, counsellor):
    picked = CustomerFactory(name="Kavya Pillai")

    response = manager_client.post(
        URL,
        {"customer_ids": ids(picked), "assigned_to": str(counsellor.pk), "query": "q=Kavya"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert template_names(response)[0] == "customers/_results.html"
    assert list(response.context["page"].object_list) == [picked]
    assert "1 customer assigned to Arjun Menon." in response.content.decode()
    picked.refresh_from_db()
    assert picked.assigned_to == counsellor


def test_htmx_with_nothing_selected_gets_the_results_with_the_error(manager_client, customer):
    response = manager_client.post(URL, {"assigned_to": ""}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Select at least one customer first." in response.content.decode()
    assert not CustomerAssignmentHistory.objects.exists()
