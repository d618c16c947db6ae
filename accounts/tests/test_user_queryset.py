"""UserQuerySet: who is a manager, who is a counsellor, and who can be given customers."""

from accounts.factories import CounsellorFactory, ManagerFactory
from accounts.models import User


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
