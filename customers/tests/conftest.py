"""Fixtures only the customers tests need; the personas live in the root conftest."""

import pytest

from accounts.factories import CounsellorFactory
from accounts.models import User


@pytest.fixture
def superuser(db):
    """Someone who uses the Django admin (superusers are Sales Managers by default)."""
    return User.objects.create_superuser(
        "root", "root@example.com", "unused", first_name="Sana", last_name="Kapoor"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def former_counsellor(db):
    """A counsellor who has left: deactivated, never deleted."""
    return CounsellorFactory(username="vivek", first_name="Vivek", last_name="Rao", is_active=False)
