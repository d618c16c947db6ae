"""Who sees which customers, and finding them by name, area or phone however it is typed."""

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer


def test_a_manager_sees_every_customer(manager, customer, others_customer):
    unassigned = CustomerFactory()

    assert set(Customer.objects.visible_to(manager)) == {customer, others_customer, unassigned}


def test_a_counsellor_sees_only_their_own_customers(counsellor, customer, others_customer):
    CustomerFactory()  # unassigned: nobody's yet

    assert list(Customer.objects.visible_to(counsellor)) == [customer]


def test_unassigned_are_the_customers_without_a_counsellor(customer):
    unassigned = CustomerFactory()

    assert list(Customer.objects.unassigned()) == [unassigned]


@pytest.fixture
def anjali(counsellor):
    return CustomerFactory(
        name="Anjali Nair", area="Kochi", phone_number="+919876543210", assigned_to=counsellor
    )


@pytest.fixture
def someone_else(db):
    return CustomerFactory(name="Rohan Das", area="Thrissur", phone_number="+919123456789")


@pytest.mark.parametrize(
    "query",
    ["98765 43210", "+91 98765 43210", "098765-43210", "9876543210", "+919876543210", "43210"],
)
def test_search_finds_a_phone_number_however_it_is_typed(anjali, someone_else, query):
    assert list(Customer.objects.search(query)) == [anjali]


@pytest.mark.parametrize("query", ["anjali", "NAIR", "Anjali Nair", "koch", " Kochi "])
def test_search_finds_name_and_area_ignoring_case(anjali, someone_else, query):
    assert list(Customer.objects.search(query)) == [anjali]


def test_search_for_nothing_finds_everyone(anjali, someone_else):
    assert set(Customer.objects.search("   ")) == {anjali, someone_else}


def test_search_for_one_or_two_digits_does_not_match_every_phone(anjali, someone_else):
    assert list(Customer.objects.search("91")) == []


def test_search_that_matches_nobody_finds_nothing(anjali, someone_else):
    assert list(Customer.objects.search("Bengaluru")) == []


def test_search_stays_within_what_the_user_may_see(counsellor, anjali, someone_else):
    assert list(Customer.objects.visible_to(counsellor).search("Rohan")) == []


def test_a_typed_phone_number_searches_phones_only(counsellor):
    """Digits in a name or an area ("Sector 62") do not drown a phone search."""
    wanted = CustomerFactory(name="Anjali", phone_number="+919876543210")
    CustomerFactory(name="Batch 98765", area="Sector 98765", phone_number="+919123456789")

    assert list(Customer.objects.search("98765")) == [wanted]
    assert list(Customer.objects.search("98765 432")) == [wanted]
    # Words and digits together search names and areas too.
    assert Customer.objects.search("sector 98765").filter(name="Batch 98765").exists()
