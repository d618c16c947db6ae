"""The Django admin's customer pages: status and assignment go through the recorded paths."""

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory

from .pages import form_data_from, submit_admin_change_form

S = Customer.Status


def change_url(customer):
    return f"/admin/customers/customer/{customer.pk}/change/"


def test_the_admin_lists_and_opens_customers(superuser_client, customer):
    assert superuser_client.get("/admin/customers/customer/").status_code == 200
    assert superuser_client.get(change_url(customer)).status_code == 200


def test_a_status_change_in_the_admin_is_recorded_once(superuser_client, superuser, customer):
    response = submit_admin_change_form(superuser_client, customer, status="INTERESTED")

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == S.INTERESTED
    row = CustomerStatusHistory.objects.get()
    assert (row.customer, row.previous_status, row.new_status, row.changed_by) == (
        customer,
        S.NEW,
        S.INTERESTED,
        superuser,
    )
    assert row.notes == "Changed in the admin."


def test_an_assignment_change_in_the_admin_is_recorded_once(
    superuser_client, superuser, customer, counsellor, other_counsellor
):
    response = submit_admin_change_form(
        superuser_client, customer, assigned_to=str(other_counsellor.pk)
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.assigned_to == other_counsellor
    row = CustomerAssignmentHistory.objects.get()
    assert (row.previous_assignee, row.new_assignee, row.changed_by) == (
        counsellor,
        other_counsellor,
        superuser,
    )
    assert not CustomerStatusHistory.objects.exists()


def test_unassigning_in_the_admin_is_recorded(superuser_client, customer, counsellor):
    submit_admin_change_form(superuser_client, customer, assigned_to="")

    customer.refresh_from_db()
    assert customer.assigned_to is None
    row = CustomerAssignmentHistory.objects.get()
    assert (row.previous_assignee, row.new_assignee) == (counsellor, None)


def test_other_edits_in_the_admin_save_without_history(superuser_client, customer):
    response = submit_admin_change_form(superuser_client, customer, remark="Called twice")

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.remark == "Called twice"
    assert not CustomerStatusHistory.objects.exists()
    assert not CustomerAssignmentHistory.objects.exists()


def test_saving_a_customer_that_already_has_history_adds_one_row(
    superuser_client, customer, counsellor
):
    customer.change_status(S.VALID, by=counsellor)

    submit_admin_change_form(superuser_client, customer, status="PLAN_PRESENTED")
    submit_admin_change_form(superuser_client, customer, notes="Nothing about the status")

    customer.refresh_from_db()
    assert customer.status == S.PLAN_PRESENTED
    assert [(r.previous_status, r.new_status) for r in customer.status_history.all()] == [
        (S.VALID, S.PLAN_PRESENTED),
        (S.NEW, S.VALID),
    ]


def test_adding_a_customer_in_the_admin_records_its_status_and_counsellor(
    superuser_client, superuser, counsellor
):
    page = superuser_client.get("/admin/customers/customer/add/")
    data = {
        **form_data_from(page, "customer_form"),
        "name": "Kavya Pillai",
        "phone_number": "+919876543210",
        "status": "INTERESTED",
        "assigned_to": str(counsellor.pk),
    }

    response = superuser_client.post("/admin/customers/customer/add/", data)

    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.status, customer.assigned_to) == (S.INTERESTED, counsellor)
    status_row = CustomerStatusHistory.objects.get()
    assert (status_row.previous_status, status_row.new_status) == (S.NEW, S.INTERESTED)
    assignment_row = CustomerAssignmentHistory.objects.get()
    assert (assignment_row.previous_assignee, assignment_row.new_assignee) == (None, counsellor)
    assert {status_row.changed_by, assignment_row.changed_by} == {superuser}


def test_the_admin_stores_phone_numbers_in_e164_and_refuses_duplicates(superuser_client):
    # The same person must not be entered twice, whichever screen they are typed into.
    existing = CustomerFactory(phone_number="+919876543210")
    page = superuser_client.get("/admin/customers/customer/add/")
    data = {**form_data_from(page, "customer_form"), "name": "Kavya", "status": "NEW"}

    superuser_client.post("/admin/customers/customer/add/", {**data, "phone_number": "98765 43210"})
    superuser_client.post("/admin/customers/customer/add/", {**data, "phone_number": "91234 56789"})

    assert set(Customer.objects.values_list("phone_number", flat=True)) == {
        existing.phone_number,
        "+919123456789",
    }


def test_history_cannot_be_added_or_edited_in_the_admin(superuser_client, customer, counsellor):
    customer.change_status(S.VALID, by=counsellor)
    row = CustomerStatusHistory.objects.get()

    assert superuser_client.get("/admin/customers/customerstatushistory/add/").status_code == 403
    assert (
        superuser_client.get("/admin/customers/customerassignmenthistory/add/").status_code == 403
    )
    response = superuser_client.post(
        f"/admin/customers/customerstatushistory/{row.pk}/change/", {"new_status": "ADMISSION"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.new_status == S.VALID
