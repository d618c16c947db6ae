"""/users/new/: a manager adds a counsellor or a manager, with a first password."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from accounts.models import User
from customers.tests.pages import login_url_for, messages_of

URL = "/users/new/"
PASSWORD = "monsoon-kerala-1947"


def new_person(**changes):
    return {
        "username": "kiran",
        "first_name": "Kiran",
        "last_name": "Rao",
        "email": "kiran@example.com",
        "role": User.Role.SALES,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def test_anonymous_is_sent_to_login_and_nobody_is_added(client, db):
    response = client.post(URL, new_person())

    assert (response.status_code, response["Location"]) == (302, login_url_for(URL))
    assert not User.objects.filter(username="kiran").exists()


def test_a_counsellor_may_not_add_people(counsellor_client):
    assert counsellor_client.get(URL).status_code == 403
    assert counsellor_client.post(URL, new_person()).status_code == 403
    assert not User.objects.filter(username="kiran").exists()


def test_the_form_asks_for_login_name_role_and_password_twice(manager_client):
    response = manager_client.get(URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "password1",
        "password2",
    ]


@pytest.mark.parametrize("role", [User.Role.SALES, User.Role.MANAGER])
def test_a_manager_adds_a_counsellor_or_a_manager_who_can_log_in(
    manager_client, manager, client, role
):
    response = manager_client.post(URL, new_person(role=role))

    assert (response.status_code, response["Location"]) == (302, "/users/")
    kiran = User.objects.get(username="kiran")
    assert (kiran.first_name, kiran.last_name, kiran.email, kiran.role) == (
        "Kiran",
        "Rao",
        "kiran@example.com",
        role,
    )
    assert kiran.is_active
    assert messages_of(response) == [
        f"Kiran Rao ({kiran.get_role_display()}) can now log in as “kiran”."
    ]
    audit = LogEntry.objects.get(object_id=str(kiran.pk))
    assert (audit.user, audit.action_flag) == (manager, ADDITION)
    manager_client.logout()
    assert client.login(username="kiran", password=PASSWORD)


def test_the_email_domain_is_stored_in_lower_case(manager_client):
    manager_client.post(URL, new_person(email="Kiran@Example.COM"))

    assert User.objects.get(username="kiran").email == "Kiran@example.com"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": ""}, "username", "This field is required."),
        ({"username": "kiran rao"}, "username", "Enter a valid username."),
        ({"username": "ARJUN"}, "username", "A user with that username already exists."),
        ({"first_name": ""}, "first_name", "Enter a first name."),
        ({"email": "kiran@"}, "email", "Enter a valid email address."),
        ({"role": "ADMIN"}, "role", "Select a valid choice. ADMIN is not one of"),
        ({"password2": "monsoon-kerala-1948"}, "password2", "The two password fields didn’t match"),
        ({"password1": "Gx7#q", "password2": "Gx7#q"}, "password2", "This password is too short."),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "82947163", "password2": "82947163"}, "password2", "entirely numeric"),
        ({"password1": "kiranrao1", "password2": "kiranrao1"}, "password2", "too similar"),
    ],
    ids=[
        "no username",
        "space in username",
        "taken username (any case)",
        "no first name",
        "bad email",
        "unknown role",
        "passwords differ",
        "short password",
        "common password",
        "numeric password",
        "password like the name",
    ],
)
def test_wrong_input_is_explained_and_nobody_is_added(
    manager_client, counsellor, changes, field, message
):
    before = User.objects.count()

    response = manager_client.post(URL, new_person(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message.split("“")[0] in response.content.decode().replace("&#x27;", "'")
    assert User.objects.count() == before
