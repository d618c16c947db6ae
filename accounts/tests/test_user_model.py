"""The custom User: UUID key, the two roles, and what createsuperuser makes."""

import uuid

import pytest
from django.core.management import call_command

from accounts.factories import CounsellorFactory
from accounts.models import User


def test_primary_key_is_a_uuid(counsellor):
    assert isinstance(counsellor.pk, uuid.UUID)
    assert User._meta.pk.get_internal_type() == "UUIDField"


def test_roles_are_sales_manager_and_student_counsellor():
    assert User.Role.choices == [
        ("MANAGER", "Sales Manager"),
        ("SALES", "Student Counsellor"),
    ]


def test_role_labels_are_shown(manager, counsellor):
    assert manager.get_role_display() == "Sales Manager"
    assert counsellor.get_role_display() == "Student Counsellor"


def test_a_new_user_is_a_counsellor_unless_told_otherwise(db):
    user = User.objects.create_user("kiran", password="monsoon-kerala-1947")

    assert user.role == User.Role.SALES


def test_manager_is_manager_and_not_sales(manager):
    assert (manager.is_manager, manager.is_sales) == (True, False)


def test_counsellor_is_sales_and_not_manager(counsellor):
    assert (counsellor.is_manager, counsellor.is_sales) == (False, True)


def test_createsuperuser_makes_a_sales_manager(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "monsoon-kerala-1947")

    call_command("createsuperuser", interactive=False, username="owner", email="o@example.com")

    owner = User.objects.get(username="owner")
    assert owner.role == User.Role.MANAGER
    assert (owner.is_superuser, owner.is_staff, owner.is_manager) == (True, True, True)
    assert owner.check_password("monsoon-kerala-1947")


def test_create_superuser_in_code_makes_a_sales_manager(db):
    owner = User.objects.create_superuser("owner", "o@example.com", "monsoon-kerala-1947")

    assert owner.role == User.Role.MANAGER


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [
        ("Arjun", "Menon", "Arjun Menon"),
        ("Arjun", "", "Arjun"),
        ("", "", "arjun.m"),
    ],
)
def test_display_name_is_the_full_name_or_else_the_username(db, first_name, last_name, shown):
    user = CounsellorFactory(username="arjun.m", first_name=first_name, last_name=last_name)

    assert user.display_name == shown
    assert str(user) == shown
