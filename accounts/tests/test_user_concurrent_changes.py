"""Two managers switching each other off at the same moment cannot leave the team without one.

The guard locks the active managers' rows, so the second change waits for the first and then
sees its result. Only PostgreSQL has row locks (SQLite runs one writer at a time anyway).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.factories import ManagerFactory
from accounts.models import User


def in_another_connection(change):
    """Run `change` in a thread of its own (so its own connection); return the thread and the
    outcome holder, filled in when it finishes."""
    outcome = {}

    def run():
        try:
            change()
            outcome["result"] = "done"
        except ValidationError as error:
            outcome["result"] = error.messages
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second_change", ["deactivate", "demote"])
def test_the_second_of_two_simultaneous_changes_is_refused(second_change):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    priya = ManagerFactory(username="priya")
    deepa = ManagerFactory(username="deepa")

    def deepa_goes_too():
        him = User.objects.get(pk=deepa.pk)
        if second_change == "deactivate":
            him.deactivate(by=User.objects.get(pk=priya.pk))
        else:
            him.change_role(User.Role.SALES, by=him)

    with transaction.atomic():
        priya.deactivate(by=deepa)
        thread, outcome = in_another_connection(deepa_goes_too)
        thread.join(timeout=1)
        # Still waiting for this transaction's locks.
        assert thread.is_alive()
    thread.join(timeout=10)

    assert outcome["result"] == [
        "This is the only active Sales Manager. Make someone else a Sales Manager first, "
        "so the team always has one."
    ]
    assert list(User.objects.managers().active()) == [deepa]
