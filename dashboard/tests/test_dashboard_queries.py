"""Both dashboards cost the same few queries however many counsellors, customers and history
rows there are: everything is counted in the database, nothing in Python loops."""

import pytest

from accounts.factories import CounsellorFactory
from customers.models import Customer, CustomerNote, CustomerStatusHistory
from imports.models import FileImport

from .conftest import day

S = Customer.Status
TEAMS = [1, 20]
BOOKS = [12, 120]


def fill(manager, counsellors, count):
    """`count` customers over every status and follow-up state, each with history and a note."""
    owners = [*counsellors, None]
    statuses = list(S)
    customers = Customer.objects.bulk_create(
        Customer(
            name=f"Lead {n}",
            phone_number=f"+9197{n:08d}",
            status=statuses[n % len(statuses)],
            assigned_to=owners[n % len(owners)],
            follow_up_on=[None, day(2), day(0), day(-2)][n // len(owners) % 4],
        )
        for n in range(count)
    )
    CustomerStatusHistory.objects.bulk_create(
        CustomerStatusHistory(
            customer=customer,
            previous_status=S.NEW,
            new_status=customer.status,
            changed_by=customer.assigned_to or manager,
        )
        for customer in customers
    )
    CustomerNote.objects.bulk_create(
        CustomerNote(customer=customer, author=manager, body="Called.") for customer in customers
    )
    FileImport.objects.bulk_create(
        FileImport(file_name=f"leads-{n}.csv", file="x.csv", sha256=f"{n:064}", imported_by=manager)
        for n in range(count // 10)
    )


@pytest.mark.parametrize("team", TEAMS)
@pytest.mark.parametrize("count", BOOKS)
def test_manager_dashboard_query_count(
    manager_client, manager, counsellor, django_assert_num_queries, team, count
):
    counsellors = [counsellor, *CounsellorFactory.create_batch(team - 1)]
    fill(manager, counsellors, count)

    # 1 session, 2 user, 3 the kept customer counts (totals, statuses, funnel, and each
    # counsellor's assigned, contacted and reached Admission), 4-8 added this week, admissions
    # recorded this month, overdue, added and admissions recorded in the period (an index
    # range each), 9-10 per counsellor: customers moved in the period and overdue (grouped),
    # 11 the counsellors, 12 customers added per day, 13 admissions recorded per day,
    # 14 recent imports with who imported them. (15 until the counsellors' table dropped its
    # second admission figure, admissions in the period by current counsellor.)
    with django_assert_num_queries(14):
        response = manager_client.get("/dashboard/", {"days": 90, "sort": "-conversion"})

    assert len(response.context["performance"]) == team


@pytest.mark.parametrize("team", TEAMS)
@pytest.mark.parametrize("count", BOOKS)
def test_counsellor_dashboard_query_count(
    counsellor_client, manager, counsellor, django_assert_num_queries, team, count
):
    counsellors = [counsellor, *CounsellorFactory.create_batch(team - 1)]
    fill(manager, counsellors, count)

    # 1 session, 2 user, 3 the kept counts (theirs by status), 4 overdue, due today and new
    # to call in one aggregate, 5 their moves this week, 6 overdue follow-ups, 7 today's,
    # 8 new enquiries (each with its last note), 9 their status changes, 10 their notes.
    with django_assert_num_queries(10):
        response = counsellor_client.get("/dashboard/")

    theirs = Customer.objects.filter(assigned_to=counsellor).count()
    assert theirs and response.context["customers"].count == theirs
