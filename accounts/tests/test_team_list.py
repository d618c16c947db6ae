"""The team page at /users/: every member of staff with role, status, open customers, last login."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from accounts.factories import CounsellorFactory, ManagerFactory
from customers.factories import CustomerFactory
from customers.models import Customer
from customers.tests.pages import login_url_for

URL = "/users/"
S = Customer.Status


def rows(response):
    return {member.username: member for member in response.context["team"]}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, login_url_for(URL))


def test_a_counsellor_is_refused(counsellor_client):
    assert counsellor_client.get(URL).status_code == 403


def test_a_manager_sees_everyone_with_role_and_status(
    manager_client, manager, counsellor, other_counsellor
):
    other_counsellor.is_active = False
    other_counsellor.save(update_fields=["is_active"])

    response = manager_client.get(URL)

    assert response.status_code == 200
    # Active people first, then by name.
    assert [m.username for m in response.context["team"]] == ["arjun", "manager", "meera"]
    html = response.content.decode()
    assert "Sales Manager" in html
    assert "Student Counsellor" in html
    assert "Inactive" in html
    assert f'href="/users/{counsellor.pk}/edit/"' in html


def test_open_customers_leave_out_admitted_lost_and_invalid(manager_client, counsellor):
    for status in [S.NEW, S.FOLLOW_UP, S.REGISTRATION, S.ADMISSION, S.NOT_INTERESTED, S.INVALID]:
        CustomerFactory(assigned_to=counsellor, status=status)
    CustomerFactory(assigned_to=None, status=S.NEW)

    response = manager_client.get(URL)

    assert rows(response)["arjun"].open_customer_count == 3
    assert rows(response)["manager"].open_customer_count == 0


def test_the_open_count_links_to_exactly_those_customers(manager_client, counsellor):
    CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.VALID)
    CustomerFactory(assigned_to=counsellor, status=S.ADMISSION)
    CustomerFactory(assigned_to=None, status=S.VALID)
    html = manager_client.get(URL).content.decode()

    link = unescape(re.search(rf'href="(/customers/\?assigned_to={counsellor.pk}[^"]*)"', html)[1])
    listed = manager_client.get(link)

    assert parse_qs(urlsplit(link).query)["open"] == ["true"]
    assert {c.status for c in listed.context["page"].object_list} == {S.VALID}
    assert listed.context["page"].paginator.count == 2


def test_inactive_counsellor_with_open_customers_is_flagged_for_reassignment(
    manager_client, counsellor
):
    CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.INTERESTED)
    CustomerFactory(assigned_to=counsellor, status=S.ADMISSION)
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])

    html = manager_client.get(URL).content.decode()

    assert "2 customers to reassign" in html
    assert f"/customers/?assigned_to={counsellor.pk}&amp;open=true" in html


def test_active_counsellors_and_inactive_ones_without_open_customers_are_not_flagged(
    manager_client, counsellor, other_counsellor
):
    CustomerFactory(assigned_to=counsellor, status=S.INTERESTED)
    CustomerFactory(assigned_to=other_counsellor, status=S.ADMISSION)
    other_counsellor.is_active = False
    other_counsellor.save(update_fields=["is_active"])

    html = manager_client.get(URL).content.decode()

    assert "to reassign" not in html


def test_last_login_is_day_first_in_india_time_or_never(manager_client, counsellor):
    counsellor.last_login = datetime.datetime(2026, 1, 5, 4, 30, tzinfo=datetime.UTC)
    counsellor.save(update_fields=["last_login"])
    CounsellorFactory(username="newcomer", last_login=None)

    html = manager_client.get(URL).content.decode()

    assert "05/01/2026 10:00" in html
    assert "never" in html


@pytest.mark.parametrize("size", [3, 30])
def test_queries_stay_fixed_however_big_the_team(
    manager_client, manager, size, django_assert_num_queries
):
    counsellors = CounsellorFactory.create_batch(size - 1)
    ManagerFactory(is_active=False, last_login=timezone.now())
    for n, counsellor in enumerate(counsellors):
        CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.NEW)
        CustomerFactory(assigned_to=counsellor, status=S.ADMISSION)
        if n % 2:
            counsellor.is_active = False
            counsellor.save(update_fields=["is_active"])

    with django_assert_num_queries(4):
        # 1. the session
        # 2. the logged-in user
        # 3. every user, with their open customers counted in the same query
        # 4. the agency settings (the export switch under the table)
        response = manager_client.get(URL)

    assert len(response.context["team"]) == size + 1
    assert "2 customers to reassign" in response.content.decode()


@pytest.mark.parametrize(("persona", "shown"), [("manager", True), ("counsellor", False)])
def test_the_nav_shows_team_to_managers_only(client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))

    html = client.get("/accounts/profile/").content.decode()

    assert ('href="/users/"' in html) is shown
