"""GET /customers/: who sees what, filters, search, sorting, pages, and the htmx fragment."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.http import QueryDict
from django.utils import timezone

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer

from .pages import login_url_for, template_names

S = Customer.Status
URL = "/customers/"


def shown(response):
    """The customers on the rendered page, in order."""
    return list(response.context["page"].object_list)


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == login_url_for(URL)


def test_a_counsellor_sees_only_their_own_customers(counsellor_client, customer, others_customer):
    CustomerFactory()  # unassigned

    response = counsellor_client.get(URL)

    assert response.status_code == 200
    assert shown(response) == [customer]
    assert b"Rohan Das" not in response.content


def test_a_manager_sees_every_customer(manager_client, customer, others_customer):
    unassigned = CustomerFactory()

    response = manager_client.get(URL)

    assert response.status_code == 200
    assert set(shown(response)) == {customer, others_customer, unassigned}
    assert b"Anjali Nair" in response.content
    assert b"Rohan Das" in response.content


def test_status_filter_shows_only_that_status(manager_client):
    valid = CustomerFactory(status=S.VALID)
    CustomerFactory(status=S.NEW)

    response = manager_client.get(URL, {"status": "VALID"})

    assert shown(response) == [valid]


def test_repeated_status_filter_shows_any_of_those_statuses(manager_client):
    valid = CustomerFactory(status=S.VALID)
    interested = CustomerFactory(status=S.INTERESTED)
    CustomerFactory(status=S.NEW)

    response = manager_client.get(f"{URL}?status=VALID&status=INTERESTED")

    assert set(shown(response)) == {valid, interested}


def test_assigned_to_filter_shows_one_counsellors_customers(
    manager_client, customer, others_customer, other_counsellor
):
    response = manager_client.get(URL, {"assigned_to": str(other_counsellor.pk)})

    assert shown(response) == [others_customer]


def test_assigned_to_none_shows_the_unassigned(manager_client, customer, others_customer):
    unassigned = CustomerFactory()

    response = manager_client.get(URL, {"assigned_to": "none"})

    assert shown(response) == [unassigned]


def test_a_former_counsellors_customers_can_still_be_filtered(manager_client, former_counsellor):
    theirs = CustomerFactory(assigned_to=former_counsellor)
    CustomerFactory()

    response = manager_client.get(URL, {"assigned_to": str(former_counsellor.pk)})

    assert shown(response) == [theirs]
    assert b"Vivek Rao (vivek) (inactive)" in response.content


def test_a_counsellor_cannot_widen_their_list_with_assigned_to(
    counsellor_client, customer, others_customer, other_counsellor
):
    for value in [str(other_counsellor.pk), "none"]:
        response = counsellor_client.get(URL, {"assigned_to": value})

        assert shown(response) == [customer]


@pytest.mark.parametrize("query", ["anjali", "Kochi", "98765 43210", "+91 98765 43210"])
def test_search_finds_by_name_area_or_phone(manager_client, counsellor, query):
    anjali = CustomerFactory(
        name="Anjali Nair", area="Kochi", phone_number="+919876543210", assigned_to=counsellor
    )
    CustomerFactory(name="Rohan Das", area="Thrissur", phone_number="+919123456789")

    response = manager_client.get(URL, {"q": query})

    assert shown(response) == [anjali]


def test_search_combines_with_the_other_filters(manager_client):
    wanted = CustomerFactory(name="Anjali Nair", status=S.VALID)
    CustomerFactory(name="Anjali Menon", status=S.NEW)
    CustomerFactory(name="Rohan Das", status=S.VALID)

    response = manager_client.get(URL, {"q": "anjali", "status": "VALID"})

    assert shown(response) == [wanted]


@pytest.fixture
def sortable(counsellor, other_counsellor):
    """Four customers whose every column sorts in a different order."""
    deepa = CounsellorFactory(username="deepa", first_name="Deepa", last_name="Rao")
    zoya = CounsellorFactory(username="zoya", first_name="Zoya", last_name="Khan")
    now = timezone.now()
    rows = [
        # name, phone, area, enquiry date, counsellor, created days ago, updated days ago
        ("Bala", "+919800000004", "Kochi", date(2026, 1, 3), zoya, 2, 4),
        ("Chitra", "+919800000001", "Alappuzha", date(2026, 1, 1), deepa, 4, 1),
        ("Arun", "+919800000003", "Thrissur", date(2026, 1, 4), other_counsellor, 1, 3),
        ("Devi", "+919800000002", "Bengaluru", date(2026, 1, 2), counsellor, 3, 2),
    ]
    customers = []
    for name, phone, area, enquiry, assignee, created, updated in rows:
        customer = CustomerFactory(
            name=name, phone_number=phone, area=area, date=enquiry, assigned_to=assignee
        )
        Customer.objects.filter(pk=customer.pk).update(
            created_at=now - timedelta(days=created), updated_at=now - timedelta(days=updated)
        )
        customer.refresh_from_db()
        customers.append(customer)
    return customers


SORT_KEYS = {
    "name": lambda c: c.name,
    "phone": lambda c: c.phone_number,
    "area": lambda c: c.area,
    "date": lambda c: c.date,
    "assigned_to": lambda c: c.assigned_to.first_name,
    "created": lambda c: c.created_at,
    "updated": lambda c: c.updated_at,
}


@pytest.mark.parametrize("column", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_list_sorts_by_each_column(manager_client, sortable, column, descending):
    sort = f"-{column}" if descending else column

    response = manager_client.get(URL, {"sort": sort})

    assert response.status_code == 200
    expected = sorted(sortable, key=SORT_KEYS[column], reverse=descending)
    assert [c.name for c in shown(response)] == [c.name for c in expected]


def test_sorting_by_status_follows_the_enrollment_stages(manager_client):
    # The stages are the business's order (New, Invalid, Valid, ..., Admission), not A to Z.
    for status in [S.ADMISSION, S.NEW, S.INTERESTED, S.VALID, S.CALL_NOT_ATTENDED]:
        CustomerFactory(name=status.label, status=status)

    response = manager_client.get(URL, {"sort": "status"})

    assert [c.status for c in shown(response)] == [
        S.NEW,
        S.VALID,
        S.CALL_NOT_ATTENDED,
        S.INTERESTED,
        S.ADMISSION,
    ]


def test_the_default_order_is_newest_first(manager_client, sortable):
    response = manager_client.get(URL)

    expected = sorted(sortable, key=lambda c: c.created_at, reverse=True)
    assert shown(response) == expected


@pytest.mark.parametrize("sort", ["password", "assigned_to__password", "-", ""])
def test_an_unknown_sort_is_ignored_not_an_error(manager_client, sortable, sort):
    response = manager_client.get(URL, {"sort": sort})

    assert response.status_code == 200
    assert shown(response) == sorted(sortable, key=lambda c: c.created_at, reverse=True)


def test_a_sorted_column_header_links_to_the_opposite_direction_and_keeps_filters(
    manager_client, sortable
):
    response = manager_client.get(URL, {"sort": "name", "status": "NEW"})

    links = [
        QueryDict(unescape(href))
        for href in re.findall(r'href="\?([^"]*)"', response.content.decode())
    ]
    assert {"sort": ["-name"], "status": ["NEW"]} in [dict(link.lists()) for link in links]


@pytest.fixture
def thirty_leads(db):
    leads = [CustomerFactory(name=f"Lead {n:02d}", status=S.NEW) for n in range(30)]
    CustomerFactory.create_batch(3, name="Lead invalid", status=S.INVALID)
    return leads


def test_the_list_shows_25_customers_a_page(manager_client, thirty_leads):
    first = manager_client.get(URL, {"status": "NEW"})
    second = manager_client.get(URL, {"status": "NEW", "page": 2})

    assert len(shown(first)) == 25
    assert len(shown(second)) == 5
    assert set(shown(first)) | set(shown(second)) == set(thirty_leads)


def test_page_links_keep_the_filters_and_sort(manager_client, thirty_leads):
    response = manager_client.get(URL, {"status": "NEW", "q": "Lead", "sort": "name"})

    [href] = re.findall(r'rel="next"\s+href="\?([^"]*)"', response.content.decode())
    params = QueryDict(unescape(href))
    assert params.getlist("status") == ["NEW"]
    assert params["q"] == "Lead"
    assert params["sort"] == "name"
    assert params["page"] == "2"


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
def test_a_bad_page_number_shows_a_page_not_an_error(manager_client, thirty_leads, page):
    response = manager_client.get(URL, {"page": page})

    assert response.status_code == 200
    assert shown(response)


def test_the_bulk_form_carries_the_filter_without_the_page(manager_client, thirty_leads):
    response = manager_client.get(URL, {"status": "NEW", "q": "Lead", "page": 2})

    query = QueryDict(response.context["query"])
    assert query.getlist("status") == ["NEW"]
    assert query["q"] == "Lead"
    assert "page" not in query


def test_only_managers_get_the_bulk_actions(client, manager, counsellor, customer):
    client.force_login(manager)
    assert b'name="customer_ids"' in client.get(URL).content

    client.force_login(counsellor)
    assert b'name="customer_ids"' not in client.get(URL).content


def test_htmx_requests_get_only_the_results_fragment(manager_client, customer):
    response = manager_client.get(URL, {"q": "Anjali"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "customers/_results.html" in template_names(response)
    assert "customers/list.html" not in template_names(response)
    assert b"<html" not in response.content
    assert shown(response) == [customer]


def test_plain_requests_get_the_whole_page(manager_client, customer):
    response = manager_client.get(URL)

    assert "customers/list.html" in template_names(response)
    assert b"<html" in response.content
