"""Personas shared by every test module: anonymous, manager, counsellor, other counsellor."""

import pytest

from accounts.factories import CounsellorFactory, ManagerFactory
from customers.factories import CustomerFactory


@pytest.fixture
def manager(db):
    return ManagerFactory(username="manager", first_name="Priya", last_name="Nair")


@pytest.fixture
def counsellor(db):
    return CounsellorFactory(username="arjun", first_name="Arjun", last_name="Menon")


@pytest.fixture
def other_counsellor(db):
    return CounsellorFactory(username="meera", first_name="Meera", last_name="Iyer")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def counsellor_client(client, counsellor):
    client.force_login(counsellor)
    return client


@pytest.fixture
def customer(counsellor):
    """A customer assigned to `counsellor`."""
    return CustomerFactory(assigned_to=counsellor, name="Anjali Nair")


@pytest.fixture
def others_customer(other_counsellor):
    """A customer assigned to `other_counsellor`, invisible to `counsellor`."""
    return CustomerFactory(assigned_to=other_counsellor, name="Rohan Das")


@pytest.fixture
def app(django_app):
    """WebTest: pages as a browser gets them, forms taken from the HTML, CSRF checked.

    `app.get(url, user=manager).forms["bulk-form"].submit()` submits what the page rendered,
    defaults untouched; a form without its token is refused as in a browser.
    """
    return django_app
