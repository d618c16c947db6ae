"""Personas shared by every test module: anonymous, manager, counsellor, other counsellor;
and the hypothesis profiles every property test runs under."""

import os

import pytest
from hypothesis import settings

from accounts.factories import CounsellorFactory, ManagerFactory
from customers.factories import CustomerFactory

# Property tests. "ci", the default, is derandomized: `make test` and CI try the same examples
# on every run, within each test's fixed budget, so they never fail by chance (nor replay
# failures saved in .hypothesis/). "fuzz" (`make fuzz`) explores: random examples, budgets
# times FUZZ_SCALE (tests/fuzz.py's `examples`; `make fuzz FUZZ_SCALE=2` for a short run).
# A failure it finds becomes an @example.
FUZZ_SCALE = int(os.environ.get("FUZZ_SCALE", "10"))
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile(
    "fuzz", max_examples=100 * FUZZ_SCALE, derandomize=False, deadline=None, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
