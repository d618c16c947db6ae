"""The list's bulk bar used as a manager uses it: filter with the filter form, then act.

Each test fetches the list, takes the forms from the page, changes only what a person changes,
and presses the button (CSRF checked). Hand-built POST data once hid that "all matching" failed
after any filter-form search (it sent `status=`, "Any status") and that the status dropdown
defaulted to New.
"""

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory
from customers.tests.pages import press

S = Customer.Status


@pytest.fixture
def kochi_new_leads():
    """Three new unassigned leads in Kochi, among rows the filter must leave alone."""
    CustomerFactory(name="Thrissur new", area="Thrissur", status=S.NEW)
    CustomerFactory(name="Kochi interested", area="Kochi", status=S.INTERESTED)
    return [CustomerFactory(name=f"Kochi new {n}", area="Kochi", status=S.NEW) for n in range(3)]


def filtered_list(app, manager, **choices):
    """The list after the filter form is submitted with `choices` (the rest left as shown)."""
    filters = app.get("/customers/", user=manager).forms["filters"]
    for name, value in choices.items():
        filters[name] = value
    return filters.submit()


def test_assign_all_matching_after_searching_with_the_filter_form(
    app, manager, counsellor, kochi_new_leads
):
    page = filtered_list(app, manager, q="Kochi new")
    bulk = page.forms["bulk-form"]
    bulk["select_all"] = True
    bulk["assigned_to"] = str(counsellor.pk)

    response = press(bulk, "Assign").follow()

    assert "3 customers assigned to Arjun Menon" in response.text.replace("(s)", "s")
    assert set(Customer.objects.filter(assigned_to=counsellor)) == set(kochi_new_leads)
    assert CustomerAssignmentHistory.objects.count() == 3


def test_change_status_of_all_matching_after_searching_with_the_filter_form(
    app, manager, kochi_new_leads
):
    page = filtered_list(app, manager, q="Kochi new")
    bulk = page.forms["bulk-form"]
    bulk["select_all"] = True
    bulk["status"] = "VALID"

    press(bulk, "Change status").follow()

    assert set(Customer.objects.filter(status=S.VALID)) == set(kochi_new_leads)
    assert CustomerStatusHistory.objects.filter(new_status=S.VALID).count() == 3


def test_distribute_all_matching_after_filtering_with_the_filter_form(
    app, manager, counsellor, other_counsellor, kochi_new_leads
):
    page = filtered_list(app, manager, q="Kochi new")
    bulk = page.forms["bulk-form"]
    bulk["select_all"] = True

    preview = press(bulk, "Distribute…")
    assert "Confirm: assign 3" in preview.text
    press(preview.forms["distribute-form"], "Confirm: assign 3").follow()

    assigned = Customer.objects.filter(pk__in=[c.pk for c in kochi_new_leads])
    assert not assigned.filter(assigned_to=None).exists()
    assert {c.assigned_to for c in assigned} == {counsellor, other_counsellor}


def test_change_status_without_choosing_one_changes_nothing_and_says_why(app, manager):
    shortlisted = CustomerFactory(status=S.SHORTLISTED)
    bulk = app.get("/customers/", user=manager).forms["bulk-form"]
    bulk.get("customer_ids", index=0).checked = True

    response = press(bulk, "Change status").follow()

    shortlisted.refresh_from_db()
    assert shortlisted.status == S.SHORTLISTED
    assert not CustomerStatusHistory.objects.exists()
    assert "Choose the status to move the selected customers to." in response.text


def test_assign_without_choosing_a_counsellor_unassigns_nobody(app, manager, counsellor):
    theirs = CustomerFactory(assigned_to=counsellor)
    bulk = app.get("/customers/", user=manager).forms["bulk-form"]
    bulk.get("customer_ids", index=0).checked = True

    response = press(bulk, "Assign").follow()

    theirs.refresh_from_db()
    assert theirs.assigned_to == counsellor
    assert "Choose a counsellor" in response.text
