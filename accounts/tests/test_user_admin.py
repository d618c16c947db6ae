"""The User admin: a superuser adds staff with a role and sees the role in the list."""

import pytest
from django.utils import timezone

from accounts.models import User


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "x-long-pass-1947"))
    return client


def test_superuser_adds_a_counsellor_with_a_role(superuser_client):
    response = superuser_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "kiran",
            "usable_password": "true",
            "password1": "monsoon-kerala-1947",
            "password2": "monsoon-kerala-1947",
            "role": User.Role.SALES,
        },
    )

    assert response.status_code == 302
    kiran = User.objects.get(username="kiran")
    assert kiran.role == User.Role.SALES
    assert kiran.check_password("monsoon-kerala-1947")


def test_superuser_makes_a_counsellor_a_manager(superuser_client, counsellor):
    joined = timezone.localtime(counsellor.date_joined)

    response = superuser_client.post(
        f"/admin/accounts/user/{counsellor.pk}/change/",
        {
            "username": counsellor.username,
            "first_name": counsellor.first_name,
            "last_name": counsellor.last_name,
            "email": counsellor.email,
            "is_active": "on",
            "date_joined_0": joined.strftime("%d/%m/%Y"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "role": User.Role.MANAGER,
        },
    )

    assert response.status_code == 302
    counsellor.refresh_from_db()
    assert counsellor.is_manager


def test_role_is_a_column_and_a_filter_in_the_user_list(superuser_client, counsellor):
    response = superuser_client.get("/admin/accounts/user/?role__exact=SALES")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [counsellor]
    assert "Student Counsellor" in response.content.decode()


def change_form_data(user, **changes):
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%d/%m/%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "role": user.role,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_unticking_active_in_the_admin_ends_the_counsellors_sessions(
    superuser_client, counsellor, client
):
    from django.test import Client

    counsellors_browser = Client()
    counsellors_browser.force_login(counsellor)

    response = superuser_client.post(
        f"/admin/accounts/user/{counsellor.pk}/change/",
        change_form_data(counsellor, is_active=None),
    )

    assert response.status_code == 302
    counsellor.refresh_from_db()
    assert not counsellor.is_active
    assert counsellors_browser.get("/customers/").status_code == 302


def test_the_admin_cannot_demote_or_deactivate_the_last_active_manager(superuser_client):
    root = User.objects.get(username="root")
    # root is a superuser but only a manager by role; make them the one active manager.
    only = User.objects.create_user("deepa", role=User.Role.MANAGER, first_name="Deepa")
    User.objects.exclude(pk=only.pk).filter(role=User.Role.MANAGER).update(role=User.Role.SALES)

    for changes in ({"role": User.Role.SALES}, {"is_active": None}):
        response = superuser_client.post(
            f"/admin/accounts/user/{only.pk}/change/", change_form_data(only, **changes)
        )
        assert response.status_code == 200
        assert "This is the only active Sales Manager." in response.content.decode()
    only.refresh_from_db()
    assert (only.role, only.is_active) == (User.Role.MANAGER, True)
    assert root.is_superuser


def test_the_admin_refuses_to_deactivate_yourself(superuser_client):
    root = User.objects.get(username="root")
    User.objects.create_user("deepa", role=User.Role.MANAGER)

    response = superuser_client.post(
        f"/admin/accounts/user/{root.pk}/change/", change_form_data(root, is_active=None)
    )

    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    root.refresh_from_db()
    assert root.is_active
