"""The name-and-email forms write only their own columns: a change made meanwhile survives."""

import pytest

from accounts.forms import ProfileForm, TeamMemberForm
from accounts.models import User

DETAILS = {"first_name": "Arjun", "last_name": "K", "email": "arjun.k@example.com"}


@pytest.mark.parametrize(
    ("form_class", "data"),
    [(ProfileForm, DETAILS), (TeamMemberForm, {**DETAILS, "role": User.Role.SALES})],
)
def test_saving_a_stale_page_keeps_a_deactivation_and_a_new_password(counsellor, form_class, data):
    page_loaded = User.objects.get(pk=counsellor.pk)
    # Meanwhile a manager switches the account off and sets a new password.
    counsellor.set_password("monsoon-kerala-1947")
    counsellor.is_active = False
    counsellor.save(update_fields=["password", "is_active"])

    form = form_class(data, instance=page_loaded)
    assert form.is_valid(), form.errors
    form.save()

    counsellor.refresh_from_db()
    assert (counsellor.last_name, counsellor.email) == ("K", "arjun.k@example.com")
    assert not counsellor.is_active
    assert counsellor.check_password("monsoon-kerala-1947")
