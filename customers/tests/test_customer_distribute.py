"""POST /customers/distribute/: preview, then share picked customers out by open load."""

from urllib.parse import urlencode

import pytest

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory

from .pages import login_url_for, messages_of

URL = "/customers/distribute/"
S = Customer.Status


@pytest.fixture
def team(counsellor, other_counsellor, former_counsellor):
    """Arjun already has 4 open customers (and 3 closed ones), Meera 1, Vivek has left."""
    CustomerFactory.create_batch(4, assigned_to=counsellor, status=S.INTERESTED)
    CustomerFactory.create_batch(3, assigned_to=counsellor, status=S.ADMISSION)
    CustomerFactory(assigned_to=other_counsellor, status=S.FOLLOW_UP)
    rahul = CounsellorFactory(username="rahul", first_name="Rahul", last_name="Verma")
    return counsellor, other_counsellor, rahul


@pytest.fixture
def unassigned(db):
    return CustomerFactory.create_batch(9, assigned_to=None, area="Kochi")


def ids(customers):
    return [str(c.pk) for c in customers]


def received(user):
    return Customer.objects.filter(pk__in=user.customers.values("pk"), status=S.NEW).count()


def test_get_is_not_allowed(manager_client):
    assert manager_client.get(URL).status_code == 405


def test_anonymous_goes_to_login(client, unassigned):
    response = client.post(URL, {"customer_ids": ids(unassigned)})

    assert response.status_code == 302
    assert response.url == login_url_for(URL)


def test_a_counsellor_is_forbidden_and_nothing_changes(counsellor_client, unassigned):
    response = counsellor_client.post(URL, {"customer_ids": ids(unassigned), "confirm": "on"})

    assert response.status_code == 403
    assert not Customer.objects.exclude(assigned_to=None).filter(area="Kochi").exists()


def test_the_preview_shows_each_share_and_changes_nothing(manager_client, team, unassigned):
    arjun, meera, rahul = team

    response = manager_client.post(URL, {"customer_ids": ids(unassigned)})

    assert response.status_code == 200
    rows = {row["counsellor"]: row for row in response.context["rows"]}
    # Open loads 4, 1, 0: the 9 new ones even them out at 14 / 3 = 4 or 5 each.
    assert {c: (rows[c]["load"], rows[c]["gets"]) for c in team} == {
        arjun: (4, 1),
        meera: (1, 4),
        rahul: (0, 4),
    }
    assert response.context["total"] == 9
    assert not CustomerAssignmentHistory.objects.exists()
    assert not Customer.objects.filter(area="Kochi").exclude(assigned_to=None).exists()


def test_confirming_assigns_by_load_and_records_every_assignment(
    manager_client, manager, team, unassigned
):
    arjun, meera, rahul = team

    response = manager_client.post(URL, {"customer_ids": ids(unassigned), "confirm": "on"})

    assert response.status_code == 302
    assert (received(arjun), received(meera), received(rahul)) == (1, 4, 4)
    history = CustomerAssignmentHistory.objects.filter(customer__area="Kochi")
    assert history.count() == 9
    assert set(history.values_list("changed_by", flat=True)) == {manager.pk}
    assert messages_of(response)[0].startswith("9 customers shared out:")


def test_only_the_ticked_counsellors_receive_and_inactive_ones_never(
    manager_client, team, unassigned, former_counsellor
):
    arjun, meera, rahul = team

    manager_client.post(
        URL,
        {
            "customer_ids": ids(unassigned),
            "counsellors": [str(meera.pk), str(rahul.pk)],
            "confirm": "on",
        },
    )

    assert received(arjun) == 0
    assert received(meera) + received(rahul) == 9
    assert not former_counsellor.customers.exists()


def test_an_inactive_counsellor_cannot_be_chosen(
    manager_client, team, unassigned, former_counsellor
):
    response = manager_client.post(
        URL,
        {
            "customer_ids": ids(unassigned),
            "counsellors": [str(former_counsellor.pk)],
            "confirm": "on",
        },
    )

    assert not former_counsellor.customers.exists()
    assert response.status_code == 302
    assert "counsellors" in " ".join(messages_of(response)).lower()


def test_all_matching_the_filter_are_distributed(manager_client, team, unassigned):
    CustomerFactory.create_batch(2, assigned_to=None, area="Thrissur")
    query = urlencode({"assigned_to": "none", "area": "Kochi"})

    manager_client.post(URL, {"select_all": "on", "query": query, "confirm": "on"})

    assert not Customer.objects.filter(area="Kochi", assigned_to=None).exists()
    assert Customer.objects.filter(area="Thrissur", assigned_to=None).count() == 2


def test_nothing_selected_is_a_message_not_an_error(manager_client, team):
    response = manager_client.post(URL, {"confirm": "on"})

    assert response.status_code == 302
    assert messages_of(response) == ["Select at least one customer first."]
