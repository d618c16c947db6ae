"""Bulk actions never widen beyond a valid filter; edits never undo a status saved meanwhile."""

from urllib.parse import urlencode

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerStatusHistory

from .pages import messages_of

S = Customer.Status


@pytest.mark.parametrize(
    "query",
    [urlencode({"status": "BOGUS"}), "%%%&&==", urlencode({"assigned_to": "not-a-user"})],
    ids=["unknown status", "garbage", "unknown counsellor"],
)
@pytest.mark.parametrize(
    "url", ["/customers/status/", "/customers/assign/", "/customers/distribute/"]
)
def test_select_all_with_a_filter_that_does_not_validate_changes_nothing(
    manager_client, counsellor, url, query
):
    customers = CustomerFactory.create_batch(3, status=S.NEW, assigned_to=None)

    response = manager_client.post(
        url,
        {
            "select_all": "on",
            "query": query,
            "status": S.INTERESTED,
            "assigned_to": str(counsellor.pk),
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    assert "is no longer valid, so nothing was changed" in " ".join(messages_of(response))
    for customer in customers:
        customer.refresh_from_db()
        assert (customer.status, customer.assigned_to) == (S.NEW, None)
    assert not CustomerStatusHistory.objects.exists()


def test_an_edit_does_not_undo_a_status_change_saved_meanwhile(manager_client, customer, manager):
    form_page = manager_client.get(f"/customers/{customer.pk}/edit/")  # the manager opens the form
    assert form_page.status_code == 200
    customer.change_status(S.VALID, by=manager)  # ... someone records a call meanwhile ...

    manager_client.post(
        f"/customers/{customer.pk}/edit/",
        {"name": "Anjali N.", "phone_number": customer.phone_number, "area": "Kochi"},
    )

    customer.refresh_from_db()
    assert (customer.name, customer.status) == ("Anjali N.", S.VALID)


def test_customers_of_a_counsellor_made_manager_can_still_be_listed_and_handed_on(
    manager_client, counsellor, other_counsellor, manager
):
    kept = CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.INTERESTED)
    counsellor.change_role(counsellor.Role.MANAGER, by=manager)

    listed = manager_client.get("/customers/", {"assigned_to": str(counsellor.pk)})
    moved = manager_client.post(
        "/customers/reassign/", {"from_counsellor": str(counsellor.pk), "confirm": "on"}
    )

    assert {c.pk for c in listed.context["page"].object_list} == {c.pk for c in kept}
    assert moved.status_code == 302
    assert set(
        Customer.objects.filter(pk__in=[c.pk for c in kept]).values_list("assigned_to", flat=True)
    ) == {other_counsellor.pk}
