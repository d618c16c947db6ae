"""imports.sql.update_customers writes only the fields an import changes."""

from django.utils import timezone

from customers.factories import CustomerFactory
from customers.models import Customer
from imports import sql


def test_fields_the_import_leaves_alone_keep_what_was_saved_meanwhile(db):
    customer = CustomerFactory(name="Asha", area="Kochi", remark="Old remark")
    snapshot = {
        "pk": sql.existing_customers([customer.phone_number])[customer.phone_number]["pk"],
        "name": "Asha K.",
        "area": None,
        "date": None,
        "remark": None,
    }
    # A counsellor edits the remark after the import read the customer, before it writes.
    Customer.objects.filter(pk=customer.pk).update(remark="Typed by a counsellor")

    sql.update_customers([snapshot], timezone.now())

    customer.refresh_from_db()
    assert (customer.name, customer.area, customer.remark) == (
        "Asha K.",
        "Kochi",
        "Typed by a counsellor",
    )
