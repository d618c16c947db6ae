"""User.deactivate, reactivate, change_role and set_new_password: the rules and the audit rows.

Each state change writes one row of the admin's own audit log (LogEntry), so the user's History
page in the admin says who did what and when.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from accounts.factories import ManagerFactory
from accounts.models import User

LAST_MANAGER = (
    "This is the only active Sales Manager. Make someone else a Sales Manager first, "
    "so the team always has one."
)


def audit_trail(user):
    return [
        (entry.user, entry.action_flag, entry.change_message)
        for entry in LogEntry.objects.filter(object_id=str(user.pk)).order_by("action_time")
    ]


def session_for(user):
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    return session.session_key


def test_deactivate_switches_the_account_off_and_records_who_did_it(manager, counsellor):
    assert counsellor.deactivate(by=manager) is True

    counsellor.refresh_from_db()
    assert not counsellor.is_active
    assert audit_trail(counsellor) == [(manager, CHANGE, "Deactivated.")]


def test_deactivate_twice_changes_and_records_nothing_the_second_time(manager, counsellor):
    counsellor.deactivate(by=manager)

    assert counsellor.deactivate(by=manager) is False
    assert len(audit_trail(counsellor)) == 1


def test_deactivate_ends_only_that_users_saved_sessions(manager, counsellor, other_counsellor):
    arjuns = [session_for(counsellor), session_for(counsellor)]
    meeras = session_for(other_counsellor)
    anonymous = SessionStore()
    anonymous.create()

    counsellor.deactivate(by=manager)

    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert remaining == {meeras, anonymous.session_key}
    assert not remaining & set(arjuns)


def test_nobody_can_deactivate_themselves(manager):
    ManagerFactory()

    with pytest.raises(ValidationError, match="You cannot deactivate your own account."):
        manager.deactivate(by=manager)

    manager.refresh_from_db()
    assert manager.is_active


def test_the_last_active_manager_cannot_be_deactivated(manager, counsellor):
    # Only reachable by a race or a script: the web pages never let it happen.
    with pytest.raises(ValidationError) as refused:
        manager.deactivate(by=counsellor)

    assert refused.value.messages == [LAST_MANAGER]
    manager.refresh_from_db()
    assert manager.is_active
    assert audit_trail(manager) == []


def test_a_manager_can_be_deactivated_while_another_is_active(manager):
    deepa = ManagerFactory()

    deepa.deactivate(by=manager)

    deepa.refresh_from_db()
    assert not deepa.is_active


def test_reactivate_lets_the_user_back_in_and_records_it(manager, counsellor):
    counsellor.deactivate(by=manager)

    assert counsellor.reactivate(by=manager) is True
    assert counsellor.reactivate(by=manager) is False

    counsellor.refresh_from_db()
    assert counsellor.is_active
    assert audit_trail(counsellor) == [
        (manager, CHANGE, "Deactivated."),
        (manager, CHANGE, "Reactivated."),
    ]


def test_change_role_promotes_and_records_the_old_and_new_role(manager, counsellor):
    assert counsellor.change_role(User.Role.MANAGER, by=manager) is True
    assert counsellor.change_role(User.Role.MANAGER, by=manager) is False

    counsellor.refresh_from_db()
    assert counsellor.is_manager
    assert audit_trail(counsellor) == [
        (manager, CHANGE, "Role changed from Student Counsellor to Sales Manager.")
    ]


def test_change_role_refuses_an_unknown_role(manager, counsellor):
    with pytest.raises(ValueError):
        counsellor.change_role("OWNER", by=manager)


def test_the_last_active_manager_cannot_be_demoted(manager):
    ManagerFactory(is_active=False)

    with pytest.raises(ValidationError) as refused:
        manager.change_role(User.Role.SALES, by=manager)

    assert refused.value.messages == [LAST_MANAGER]
    manager.refresh_from_db()
    assert manager.is_manager


def test_an_inactive_manager_can_be_demoted(manager):
    former = ManagerFactory(is_active=False)

    former.change_role(User.Role.SALES, by=manager)

    former.refresh_from_db()
    assert former.is_sales


def test_set_new_password_replaces_it_and_records_it_without_the_password(manager, counsellor):
    counsellor.set_new_password("monsoon-kerala-1947", by=manager)

    counsellor.refresh_from_db()
    assert counsellor.check_password("monsoon-kerala-1947")
    assert audit_trail(counsellor) == [(manager, CHANGE, "New password set.")]


def test_the_admin_history_page_shows_the_team_changes(client, manager, counsellor):
    counsellor.deactivate(by=manager)
    counsellor.reactivate(by=manager)
    root = User.objects.create_superuser("root", "root@example.com", "x-long-pass-1947")
    client.force_login(root)

    response = client.get(f"/admin/accounts/user/{counsellor.pk}/history/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Deactivated." in html
    assert "Reactivated." in html
