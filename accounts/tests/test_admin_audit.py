"""Changes made in the Django admin write one audit line each, like every other change: the
model, the object's id and the fields changed, with phone numbers masked (WebTest, CSRF on)."""

import pytest
from django.contrib import admin

from accounts.audit import AuditedAdmin
from accounts.models import AgencySettings, User
from customers.factories import CustomerFactory
from customers.models import Customer

PHONE = "+919876543210"


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "correct-horse-battery")


def confirmation(page):
    """The admin's "Yes, I'm sure" form (the header's logout form comes first)."""
    (form,) = [form for form in page.forms.values() if "post" in form.fields]
    return form


def test_every_admin_of_ours_is_audited():
    ours = {"accounts", "customers", "imports", "dashboard"}
    unaudited = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ours and not isinstance(model_admin, AuditedAdmin)
    ]

    assert unaudited == []


def test_a_customer_changed_in_the_admin_writes_one_line_with_the_phone_masked(
    app, root, customer, audit_log
):
    form = app.get(f"/admin/customers/customer/{customer.pk}/change/", user=root).forms[
        "customer_form"
    ]
    form["phone_number"] = "98765 43210"
    form["area"] = "Thrissur"

    assert form.submit().status_code == 302

    (line,) = audit_log.lines("admin.")
    assert line["event"] == "admin.changed"
    assert (line["model"], line["object_id"]) == ("customers.Customer", str(customer.pk))
    assert set(line["fields"]) == {"Phone number", "Area"}
    assert line["username"] == "root"
    assert PHONE not in repr(audit_log.lines("admin."))
    assert Customer.objects.get(pk=customer.pk).phone_number == PHONE


def test_a_customer_added_in_the_admin_writes_one_line(app, root, audit_log):
    form = app.get("/admin/customers/customer/add/", user=root).forms["customer_form"]
    form["name"] = "Kavya Pillai"
    form["phone_number"] = PHONE

    form.submit()

    customer = Customer.objects.get()
    (line,) = audit_log.lines("admin.")
    assert (line["event"], line["object_id"]) == ("admin.added", str(customer.pk))
    assert PHONE not in repr(line)


def test_a_customer_deleted_in_the_admin_writes_one_line(app, root, customer, audit_log):
    page = app.get(f"/admin/customers/customer/{customer.pk}/delete/", user=root)

    confirmation(page).submit()

    assert not Customer.objects.exists()
    assert audit_log.lines("admin.") == [
        {
            **audit_log.lines("admin.")[0],
            "event": "admin.deleted",
            "model": "customers.Customer",
            "object_id": str(customer.pk),
        }
    ]


def test_deleting_several_with_the_action_writes_one_line(app, root, audit_log):
    customers = CustomerFactory.create_batch(3)
    changelist = app.get("/admin/customers/customer/", user=root).forms["changelist-form"]
    changelist["action"] = "delete_selected"
    for checkbox in changelist.fields["_selected_action"]:
        checkbox.checked = True
    confirm = changelist.submit()

    confirmation(confirm).submit()

    assert not Customer.objects.exists()
    (line,) = audit_log.lines("admin.")
    assert (line["event"], line["count"]) == ("admin.deleted", 3)
    assert set(line["object_ids"]) == {str(c.pk) for c in customers}


def test_a_user_changed_in_the_admin_writes_one_line(app, root, counsellor, audit_log):
    form = app.get(f"/admin/accounts/user/{counsellor.pk}/change/", user=root).forms["user_form"]
    form["email"] = "arjun.menon@example.com"

    form.submit()

    (line,) = audit_log.lines("admin.")
    assert (line["event"], line["model"], line["object_id"]) == (
        "admin.changed",
        "accounts.User",
        str(counsellor.pk),
    )
    assert line["fields"] == ["Email address"]


def test_a_password_set_in_the_admin_writes_one_line_without_it(app, root, counsellor, audit_log):
    url = f"/admin/accounts/user/{counsellor.pk}/password/"
    form = app.get(url, user=root).forms["user_form"]
    form["password1"] = form["password2"] = "monsoon-kerala-1947"

    form.submit()

    (line,) = audit_log.lines("admin.")
    assert (line["event"], line["object_id"]) == ("admin.changed", str(counsellor.pk))
    assert "monsoon-kerala-1947" not in repr(line)


def test_the_export_switch_changed_in_the_admin_writes_one_line(app, root, audit_log):
    AgencySettings.objects.create(pk=1)
    form = app.get("/admin/accounts/agencysettings/1/change/", user=root).forms[
        "agencysettings_form"
    ]
    form["counsellors_may_export"] = True

    form.submit()

    (line,) = audit_log.lines("admin.")
    assert (line["event"], line["model"]) == ("admin.changed", "accounts.AgencySettings")
    assert line["fields"] == ["Counsellors may export their customers"]
