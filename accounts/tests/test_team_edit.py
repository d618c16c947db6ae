"""/users/<id>/edit/: a manager changes someone's name, email and role; never the last manager's."""

import uuid

import pytest
from django.contrib.admin.models import LogEntry

from accounts.factories import ManagerFactory
from accounts.models import User
from customers.factories import CustomerFactory
from customers.tests.pages import form_data_from, login_url_for, messages_of


def url(user):
    return f"/users/{user.pk}/edit/"


def details(**changes):
    return {
        "first_name": "Arjun",
        "last_name": "Menon",
        "email": "arjun@example.com",
        "role": User.Role.SALES,
        **changes,
    }


def test_anonymous_is_sent_to_login_and_nothing_changes(client, counsellor):
    response = client.post(url(counsellor), details(first_name="Changed"))

    assert (response.status_code, response["Location"]) == (302, login_url_for(url(counsellor)))
    counsellor.refresh_from_db()
    assert counsellor.first_name == "Arjun"


@pytest.mark.parametrize("whom", ["counsellor", "other_counsellor", "manager"])
def test_a_counsellor_may_not_edit_anyone_not_even_themselves(counsellor_client, request, whom):
    person = request.getfixturevalue(whom)
    before = (person.first_name, person.role)

    response = counsellor_client.post(
        url(person), details(first_name="Changed", role=User.Role.MANAGER)
    )

    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.first_name, person.role) == before


def test_an_unknown_person_is_not_found(manager_client):
    assert manager_client.get(f"/users/{uuid.uuid4()}/edit/").status_code == 404


def test_the_page_shows_the_details_form_and_the_account_status(manager_client, counsellor):
    CustomerFactory(assigned_to=counsellor)

    response = manager_client.get(url(counsellor))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["first_name", "last_name", "email", "role"]
    assert response.context["member"].open_customer_count == 1
    html = response.content.decode()
    assert f'action="/users/{counsellor.pk}/deactivate/"' in html
    assert f'href="/users/{counsellor.pk}/password/"' in html
    assert 'name="is_active"' not in html


def test_submitting_the_form_unchanged_changes_nothing(manager_client, counsellor):
    page = manager_client.get(url(counsellor))

    response = manager_client.post(url(counsellor), form_data_from(page, "team-member-form"))

    assert (response.status_code, response["Location"]) == (302, "/users/")
    counsellor.refresh_from_db()
    assert (counsellor.first_name, counsellor.role) == ("Arjun", User.Role.SALES)
    assert not LogEntry.objects.exists()


def test_a_manager_changes_names_and_email(manager_client, counsellor):
    response = manager_client.post(
        url(counsellor), details(first_name="Arjun K", last_name="Menon", email="ak@example.com")
    )

    assert (response.status_code, response["Location"]) == (302, "/users/")
    counsellor.refresh_from_db()
    assert (counsellor.first_name, counsellor.email) == ("Arjun K", "ak@example.com")
    assert messages_of(response) == ["Changes to Arjun K Menon saved."]


def test_a_manager_makes_a_counsellor_a_manager_and_back(manager_client, manager, counsellor):
    manager_client.post(url(counsellor), details(role=User.Role.MANAGER))
    counsellor.refresh_from_db()
    assert counsellor.is_manager

    manager_client.post(url(counsellor), details(role=User.Role.SALES))
    counsellor.refresh_from_db()
    assert counsellor.is_sales
    assert [entry.change_message for entry in LogEntry.objects.order_by("action_time")] == [
        "Role changed from Student Counsellor to Sales Manager.",
        "Role changed from Sales Manager to Student Counsellor.",
    ]


def test_the_last_manager_cannot_be_demoted_and_nothing_is_saved(manager_client, manager):
    response = manager_client.post(
        url(manager), details(first_name="Renamed", role=User.Role.SALES)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "This is the only active Sales Manager. Make someone else a Sales Manager first, "
        "so the team always has one."
    ]
    manager.refresh_from_db()
    assert (manager.role, manager.first_name) == (User.Role.MANAGER, "Priya")


def test_an_inactive_manager_does_not_count_as_another_manager(manager_client, manager):
    ManagerFactory(is_active=False)

    response = manager_client.post(url(manager), details(role=User.Role.SALES))

    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.is_manager


def test_a_manager_may_step_down_when_another_manager_remains(manager_client, manager):
    ManagerFactory(username="deepa")

    response = manager_client.post(
        url(manager), details(first_name="Priya", last_name="Nair", role=User.Role.SALES)
    )

    # The team pages are closed to them from now on, so they land on their dashboard.
    assert (response.status_code, response["Location"]) == (302, "/")
    manager.refresh_from_db()
    assert manager.is_sales
    assert manager_client.get("/users/").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter a first name."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"role": "OWNER"}, "role", "Select a valid choice. OWNER is not one of"),
    ],
)
def test_wrong_input_is_explained_and_nothing_is_saved(
    manager_client, counsellor, changes, field, message
):
    response = manager_client.post(url(counsellor), details(last_name="Changed", **changes))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    counsellor.refresh_from_db()
    assert (counsellor.last_name, counsellor.role) == ("Menon", User.Role.SALES)


def test_own_page_offers_no_deactivate_button(manager_client, manager):
    ManagerFactory(username="deepa")

    html = manager_client.get(url(manager)).content.decode()

    assert "/deactivate/" not in html
    assert "You cannot deactivate your own account." in html


def test_an_inactive_persons_page_offers_reactivate(manager_client, counsellor):
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])

    html = manager_client.get(url(counsellor)).content.decode()

    assert f'action="/users/{counsellor.pk}/reactivate/"' in html
    assert "/deactivate/" not in html
