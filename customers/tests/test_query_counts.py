"""The list and detail pages run a fixed number of queries, however many customers and history
rows there are: 10 or 100 makes no difference."""

import pytest

from accounts.factories import CounsellorFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory

S = Customer.Status
SIZES = [10, 100]


def fill(count, manager, counsellors):
    """`count` customers spread over counsellors, each with status and assignment history."""
    customers = Customer.objects.bulk_create(
        Customer(
            name=f"Lead {n}",
            phone_number=f"+9196{n:08d}",
            area="Kochi",
            status=S.VALID,
            # Every fifth customer is unassigned, so the list shows both kinds of row.
            assigned_to=None if n % 5 == 0 else counsellors[n % len(counsellors)],
        )
        for n in range(count)
    )
    CustomerStatusHistory.objects.bulk_create(
        CustomerStatusHistory(
            customer=customer, previous_status=S.NEW, new_status=S.VALID, changed_by=by
        )
        for customer in customers
        for by in [manager, counsellors[0]]
    )
    CustomerAssignmentHistory.objects.bulk_create(
        CustomerAssignmentHistory(
            customer=customer,
            previous_assignee=counsellors[1],
            new_assignee=customer.assigned_to,
            changed_by=manager,
        )
        for customer in customers
    )
    return customers


def fill_history(customer, count, manager, counsellors):
    """`count` status rows and `count` assignment rows on one customer, by different people."""
    CustomerStatusHistory.objects.bulk_create(
        CustomerStatusHistory(
            customer=customer,
            previous_status=S.NEW,
            new_status=S.VALID,
            changed_by=[manager, *counsellors][n % (len(counsellors) + 1)],
            notes=f"Call {n}",
        )
        for n in range(count)
    )
    CustomerAssignmentHistory.objects.bulk_create(
        CustomerAssignmentHistory(
            customer=customer,
            previous_assignee=counsellors[n % len(counsellors)],
            new_assignee=counsellors[(n + 1) % len(counsellors)],
            changed_by=manager,
        )
        for n in range(count)
    )


@pytest.fixture
def team(manager, counsellor, other_counsellor):
    third = CounsellorFactory(username="rahul", first_name="Rahul", last_name="Verma")
    return manager, [counsellor, other_counsellor, third]


@pytest.mark.parametrize("count", SIZES)
def test_manager_customer_list_queries_stay_fixed(
    manager_client, team, count, django_assert_num_queries
):
    fill(count, *team)

    with django_assert_num_queries(6):
        # 1. the session
        # 2. the logged-in user
        # 3. every counsellor, for the "Counsellor" filter's choices
        # 4. COUNT of the matching customers, for the pager and "all N matching"
        # 5. the active counsellors, for the bulk "Assign selected to" select
        # 6. one page of customers, joined to their counsellor
        response = manager_client.get("/customers/", {"sort": "assigned_to", "q": "Lead"})

    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", SIZES)
def test_counsellor_customer_list_queries_stay_fixed(
    counsellor_client, team, count, django_assert_num_queries
):
    _, counsellors = team
    for customer in fill(count, *team):
        if customer.assigned_to == counsellors[0]:
            customer.add_note("Called; call back Monday.", by=counsellors[0])

    with django_assert_num_queries(5):
        # 1. the session
        # 2. the logged-in user
        # 3. COUNT of the counsellor's matching customers, for the pager
        # 4. one page of those customers, what is due first, joined to their counsellor, with
        #    each one's last note (subqueries in the same SELECT)
        # 5. the agency settings: may counsellors export (managers always may, no query)
        response = counsellor_client.get("/customers/", {"status": "VALID"})

    rows = response.context["page"].object_list
    assert rows
    assert all(row.last_note == "Called; call back Monday." for row in rows)


@pytest.mark.parametrize("count", SIZES)
def test_manager_customer_detail_queries_stay_fixed(
    manager_client, team, count, django_assert_num_queries
):
    customers = fill(count, *team)
    customer = customers[1]
    fill_history(customer, count, *team)

    with django_assert_num_queries(7):
        # 1. the session
        # 2. the logged-in user
        # 3. the customer, joined to their counsellor
        # 4. status history, joined to who changed it
        # 5. assignment history, joined to who changed it and both counsellors
        # 6. notes not attached to a status change, joined to their author
        # 7. the active counsellors, for the "Reassign" select
        response = manager_client.get(f"/customers/{customer.pk}/")

    assert len(response.context["timeline"]) == 2 * count + 2 + 1


@pytest.mark.parametrize("count", SIZES)
def test_counsellor_customer_detail_queries_stay_fixed(
    counsellor_client, team, counsellor, count, django_assert_num_queries
):
    customers = fill(count, *team)
    customer = next(c for c in customers if c.assigned_to == counsellor)
    fill_history(customer, count, *team)

    with django_assert_num_queries(6):
        # 1. the session
        # 2. the logged-in user
        # 3. the customer, joined to their counsellor (and only if it is theirs)
        # 4. status history, joined to who changed it
        # 5. assignment history, joined to who changed it and both counsellors
        # 6. notes not attached to a status change, joined to their author
        response = counsellor_client.get(f"/customers/{customer.pk}/")

    assert response.status_code == 200
