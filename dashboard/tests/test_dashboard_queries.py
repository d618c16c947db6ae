"""The dashboard costs the same few queries however many customers there are."""

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer


def spread_customers(count, counsellors):
    """`count` customers over every status, the given counsellors and nobody."""
    owners = [*counsellors, None]
    statuses = Customer.Status.values
    for n in range(count):
        CustomerFactory(assigned_to=owners[n % len(owners)], status=statuses[n % len(statuses)])


@pytest.mark.parametrize("count", [10, 100])
def test_manager_dashboard_query_count(
    manager_client, counsellor, other_counsellor, django_assert_num_queries, count
):
    spread_customers(count, [counsellor, other_counsellor])

    # 1 session, 2 user, 3 counts per status, 4 unassigned count.
    with django_assert_num_queries(4):
        response = manager_client.get("/dashboard/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_counsellor_dashboard_query_count(
    counsellor_client, counsellor, other_counsellor, django_assert_num_queries, count
):
    spread_customers(count, [counsellor, other_counsellor])

    # 1 session, 2 user, 3 counts per status of their own customers.
    with django_assert_num_queries(3):
        response = counsellor_client.get("/dashboard/")

    assert response.status_code == 200
