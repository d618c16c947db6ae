"""UserQuerySet: who is a manager, who is a counsellor, and who can be given customers."""

from accounts.factories import CounsellorFactory, ManagerFactory
from accounts.models import User
from customers.factories import CustomerFactory
from customers.models import Customer


def test_assignable_is_active_counsellors_only_in_name_order(db):
    zara = CounsellorFactory(first_name="Zara", last_name="Khan")
    arjun = CounsellorFactory(first_name="Arjun", last_name="Menon")
    CounsellorFactory(first_name="Bala", last_name="Raman", is_active=False)
    ManagerFactory(first_name="Priya", last_name="Nair")

    assert list(User.objects.assignable()) == [arjun, zara]


def test_counsellors_include_former_staff_and_exclude_managers(db):
    active = CounsellorFactory()
    former = CounsellorFactory(is_active=False)
    ManagerFactory()

    assert set(User.objects.counsellors()) == {active, former}


def test_managers_are_only_sales_managers(manager, counsellor):
    assert list(User.objects.managers()) == [manager]


def test_active_leaves_out_deactivated_people(db):
    active = CounsellorFactory()
    CounsellorFactory(is_active=False)

    assert list(User.objects.active()) == [active]


def test_open_customer_count_leaves_out_final_statuses_and_other_peoples_customers(
    manager, counsellor, other_counsellor
):
    S = Customer.Status
    for status in S:
        CustomerFactory(assigned_to=counsellor, status=status)
    CustomerFactory(assigned_to=other_counsellor, status=S.NEW)
    CustomerFactory(assigned_to=None, status=S.NEW)

    counts = {u.username: u.open_customer_count for u in User.objects.with_open_customer_count()}

    assert counts == {"arjun": len(S) - 3, "meera": 1, "manager": 0}
    assert counts["arjun"] == Customer.objects.filter(assigned_to=counsellor).open().count()
