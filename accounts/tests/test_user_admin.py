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
