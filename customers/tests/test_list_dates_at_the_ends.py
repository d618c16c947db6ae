"""Every date a person can type, year 1 to 9999, is answered with the list or a clear message.

`/customers/?changed_after=0001-01-01&moved_by=...` was a 500 (OverflowError): midnight of
01/01/0001 in India is a date-time before year 1 in UTC. Found by the query fuzz test.
"""

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer

EDGES = ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31", "01/01/0001", "31/12/9999"]


@pytest.fixture
def moved(manager, counsellor):
    customer = CustomerFactory(assigned_to=counsellor, name="Moved once")
    customer.change_status(Customer.Status.VALID, by=counsellor)
    return customer


@pytest.mark.parametrize("bound", ["changed_after", "changed_before"])
@pytest.mark.parametrize("day", EDGES)
@pytest.mark.parametrize("page", ["/customers/", "/customers/export.csv", "/customers/export.xlsx"])
def test_a_period_at_the_ends_of_the_calendar_is_answered(
    manager_client, counsellor, moved, bound, day, page
):
    params = {bound: day, "moved_by": str(counsellor.pk)}

    response = manager_client.get(page, params)

    assert response.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "01/01/0001"])
def test_from_the_first_day_of_the_calendar_finds_every_move(
    manager_client, counsellor, moved, day
):
    response = manager_client.get("/customers/", {"changed_after": day, "moved_by": counsellor.pk})

    assert [c.pk for c in response.context["page"].object_list] == [moved.pk]


def test_until_the_last_day_of_the_calendar_finds_every_move(manager_client, counsellor, moved):
    response = manager_client.get(
        "/customers/", {"changed_before": "9999-12-31", "reached": "VALID"}
    )

    assert [c.pk for c in response.context["page"].object_list] == [moved.pk]
