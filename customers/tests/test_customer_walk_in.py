"""A counsellor adds a walk-in from the list's "New customer" button: the customer is theirs,
and a phone already in the system reveals nothing of a customer they cannot see."""

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory


def fill_in(form, **values):
    for name, value in {"name": "Kavya Pillai", "phone_number": "98765 43210", **values}.items():
        form[name] = value
    return form


def test_the_list_offers_a_counsellor_the_new_customer_button(app, counsellor):
    page = app.get("/customers/", user=counsellor)

    assert page.click("New customer").request.path == "/customers/new/"


def test_a_counsellor_has_no_assignee_to_choose(app, counsellor, other_counsellor):
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]

    assert "assigned_to" not in form.fields


def test_a_walk_in_is_assigned_to_the_counsellor_who_added_them(app, counsellor):
    page = app.get("/customers/", user=counsellor).click("New customer")

    response = fill_in(page.forms["customer-form"], area="Kochi").submit().follow()

    customer = Customer.objects.get()
    assert (customer.name, customer.phone_number, customer.area) == (
        "Kavya Pillai",
        "+919876543210",
        "Kochi",
    )
    assert customer.assigned_to == counsellor
    assert customer.status == Customer.Status.NEW
    assert response.request.path == f"/customers/{customer.pk}/"
    assert "Customer Kavya Pillai added." in response.text


def test_a_walk_in_writes_one_assignment_row_by_the_counsellor(app, counsellor):
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]

    fill_in(form).submit()

    row = CustomerAssignmentHistory.objects.get()
    assert (row.previous_assignee, row.new_assignee, row.changed_by) == (
        None,
        counsellor,
        counsellor,
    )


def test_an_assignee_slipped_into_the_post_is_ignored(app, counsellor, other_counsellor):
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]
    fill_in(form)

    # The page has no such field: a crafted post adds one to what the page would send.
    fields = [*form.submit_fields(), ("assigned_to", str(other_counsellor.pk))]
    app.post("/customers/new/", fields, user=counsellor)

    assert Customer.objects.get().assigned_to == counsellor


def test_a_number_of_another_counsellors_customer_names_nobody(app, counsellor, others_customer):
    Customer.objects.filter(pk=others_customer.pk).update(phone_number="+919876543210")
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]

    page = fill_in(form, phone_number="098765-43210").submit()

    assert page.status_code == 200
    assert "This number is already in the system. Ask a manager about it" in page.text
    assert "Rohan Das" not in page.text
    assert "Meera" not in page.text
    assert str(others_customer.pk) not in page.text
    assert Customer.objects.count() == 1


def test_an_unassigned_customers_number_names_nobody_either(app, counsellor):
    unassigned = CustomerFactory(name="Nikhil Rao", phone_number="+919876543210")
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]

    page = fill_in(form).submit()

    assert "already in the system" in page.text
    assert "Nikhil Rao" not in page.text
    assert str(unassigned.pk) not in page.text


def test_a_number_of_their_own_customer_links_to_it(app, counsellor, customer):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+919876543210")
    form = app.get("/customers/new/", user=counsellor).forms["customer-form"]

    page = fill_in(form).submit()

    assert "This number already belongs to" in page.text
    assert f'href="/customers/{customer.pk}/"' in page.text
    assert Customer.objects.count() == 1


def test_a_manager_still_sees_who_holds_the_number(app, manager, others_customer):
    Customer.objects.filter(pk=others_customer.pk).update(phone_number="+919876543210")
    form = app.get("/customers/new/", user=manager).forms["customer-form"]

    page = fill_in(form).submit()

    assert "Rohan Das" in page.text
    assert "Meera Iyer" in page.text
