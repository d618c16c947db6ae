"""A post without its CSRF token is refused with 403 and changes nothing, on every mutating URL.

Each case is also posted once with the token, and must then do what it says (or at least not
be refused): so a 403 here is the missing token's doing, not a body the view would refuse anyway.
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.factories import PASSWORD, CounsellorFactory
from accounts.models import AgencySettings, User
from customers.factories import CustomerFactory
from customers.models import Customer
from imports.models import FileImport

from .test_access_matrix import MATRIX

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "monsoon-kerala-1947"


@dataclass
class World:
    manager: User
    counsellor: User
    receiver: User  # an active counsellor who can be given customers
    inactive: User  # a counsellor who left, to reactivate
    customer: Customer  # the counsellor's
    file_import: FileImport  # finished


@dataclass(frozen=True)
class Case:
    persona: str  # "anonymous", "manager" or "counsellor"
    url: object  # world -> URL
    data: object = field(default=lambda world: {})
    # world -> something the post changes when it has its token; None: only "not refused".
    state: object = None


def customer_row(world):
    return Customer.objects.filter(pk=world.customer.pk).values().get()


def counsellor_row(world):
    return User.objects.filter(pk=world.counsellor.pk).values().get()


def all_customers(world):
    return list(Customer.objects.order_by("pk").values_list("pk", "assigned_to", "status"))


def lead_file(world):
    return SimpleUploadedFile("leads.csv", b"Name,Phone\nKiran,9847012345\n", "text/csv")


CASES = {
    "accounts:login": Case(
        "anonymous",
        lambda w: "/accounts/login/",
        lambda w: {"username": w.counsellor.username, "password": PASSWORD},
    ),
    "accounts:logout": Case("counsellor", lambda w: "/accounts/logout/"),
    "accounts:password_change": Case(
        "counsellor",
        lambda w: "/accounts/password/",
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        counsellor_row,
    ),
    "accounts:profile": Case(
        "counsellor",
        lambda w: "/accounts/profile/",
        lambda w: {"first_name": "Arjun K", "last_name": "Menon", "email": "arjun@example.com"},
        counsellor_row,
    ),
    "team:create": Case(
        "manager",
        lambda w: "/users/new/",
        lambda w: {
            "username": "kiran",
            "first_name": "Kiran",
            "role": User.Role.SALES,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        lambda w: User.objects.count(),
    ),
    "team:settings": Case(
        "manager",
        lambda w: "/users/settings/",
        lambda w: {"counsellors_may_export": "on"},
        lambda w: AgencySettings.current().counsellors_may_export,
    ),
    "team:edit": Case(
        "manager",
        lambda w: f"/users/{w.counsellor.pk}/edit/",
        lambda w: {"first_name": "Arjun", "last_name": "K", "role": User.Role.MANAGER},
        counsellor_row,
    ),
    "team:set_password": Case(
        "manager",
        lambda w: f"/users/{w.counsellor.pk}/password/",
        lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        counsellor_row,
    ),
    "team:deactivate": Case(
        "manager", lambda w: f"/users/{w.counsellor.pk}/deactivate/", state=counsellor_row
    ),
    "team:reactivate": Case(
        "manager",
        lambda w: f"/users/{w.inactive.pk}/reactivate/",
        state=lambda w: User.objects.get(pk=w.inactive.pk).is_active,
    ),
    "customers:create": Case(
        "manager",
        lambda w: "/customers/new/",
        lambda w: {"name": "Kiran", "phone_number": "9847012345", "assigned_to": ""},
        lambda w: Customer.objects.count(),
    ),
    "customers:edit": Case(
        "counsellor",
        lambda w: f"/customers/{w.customer.pk}/edit/",
        lambda w: {"remark": "Parent called", "notes": "Wants hostel details"},
        customer_row,
    ),
    "customers:change_status": Case(
        "counsellor",
        lambda w: f"/customers/{w.customer.pk}/status/",
        lambda w: {"status": Customer.Status.VALID, "notes": "Verified on call"},
        customer_row,
    ),
    "customers:record_call": Case(
        "counsellor",
        lambda w: f"/customers/{w.customer.pk}/call/",
        lambda w: {"outcome": Customer.CallOutcome.WRONG_NUMBER},
        customer_row,
    ),
    "customers:assign": Case(
        "manager",
        lambda w: f"/customers/{w.customer.pk}/assign/",
        lambda w: {"assigned_to": w.receiver.pk},
        customer_row,
    ),
    "customers:bulk_assign": Case(
        "manager",
        lambda w: "/customers/assign/",
        lambda w: {"customer_ids": [w.customer.pk], "assigned_to": w.receiver.pk},
        customer_row,
    ),
    "customers:bulk_status": Case(
        "manager",
        lambda w: "/customers/status/",
        lambda w: {"customer_ids": [w.customer.pk], "status": Customer.Status.VALID},
        customer_row,
    ),
    "customers:distribute": Case(
        "manager",
        lambda w: "/customers/distribute/",
        lambda w: {
            "select_all": "on",
            "query": "assigned=false",
            "counsellors": [w.receiver.pk],
            "confirm": "on",
        },
        all_customers,
    ),
    "customers:reassign_all": Case(
        "manager",
        lambda w: "/customers/reassign/",
        lambda w: {"from_counsellor": w.counsellor.pk, "confirm": "on"},
        all_customers,
    ),
    "imports:create": Case(
        "manager",
        lambda w: "/imports/new/",
        lambda w: {"file": lead_file(w), "assign": FileImport.Assign.NOBODY},
        lambda w: (FileImport.objects.count(), Customer.objects.count()),
    ),
    # A finished import: with its token, "Run again" answers with a message, not a 403.
    "imports:retry": Case("manager", lambda w: f"/imports/{w.file_import.pk}/retry/"),
}


@pytest.fixture
def world(manager, counsellor, other_counsellor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    CustomerFactory(name="Nobody's lead")
    file_import = FileImport.objects.create(
        file_name="leads.csv",
        file="imports/leads.csv",
        sha256="0" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
    )
    inactive = CounsellorFactory(username="vivek", first_name="Vivek", is_active=False)
    customer = CustomerFactory(assigned_to=counsellor, name="Anjali Nair")
    return World(manager, counsellor, other_counsellor, inactive, customer, file_import)


def browser(world, persona, *, csrf_checks=True):
    client = Client(enforce_csrf_checks=csrf_checks)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def everything(world):
    """What any refused post must leave as it was."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Customer.objects.order_by("pk").values()),
        FileImport.objects.count(),
        AgencySettings.current().counsellors_may_export,
    )


def test_every_mutating_url_has_a_case():
    """A new POST URL (or page with a form) must be added here, with its token check."""
    mutating = {name for name, row in MATRIX.items() if row.method == "post"}
    forms = {
        "accounts:login",
        "accounts:password_change",
        "accounts:profile",
        "customers:create",
        "customers:edit",
        "customers:reassign_all",
        "imports:create",
        "team:create",
        "team:edit",
        "team:set_password",
    }

    assert mutating | forms == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(world, name):
    case = CASES[name]
    client = browser(world, case.persona)
    before = everything(world)

    response = client.post(case.url(world), case.data(world))

    assert response.status_code == 403
    assert everything(world) == before
    if case.persona != "anonymous":
        assert "_auth_user_id" in client.session  # logout, too, needs the token
    else:
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_same_post_with_its_token_goes_through(world, name):
    case = CASES[name]
    client = browser(world, case.persona)
    # Any page with a form sets the CSRF cookie, as the browser's first visit does.
    client.get("/accounts/login/" if case.persona == "anonymous" else "/accounts/profile/")
    token = client.cookies["csrftoken"].value
    before = case.state(world) if case.state else None
    data = {**case.data(world), "csrfmiddlewaretoken": token}

    response = client.post(case.url(world), data)

    assert response.status_code != 403
    if case.state:
        assert case.state(world) != before
    if name == "accounts:logout":
        assert "_auth_user_id" not in client.session
    if name == "accounts:login":
        assert "_auth_user_id" in client.session


def test_htmx_posts_carry_the_token_in_a_header(world):
    """htmx sends X-CSRFToken (hx-headers on <body>); without it the same post is a 403."""
    client = browser(world, "counsellor")
    client.get("/accounts/profile/")
    token = client.cookies["csrftoken"].value
    url = f"/customers/{world.customer.pk}/status/"
    body = {"status": Customer.Status.VALID}

    refused = client.post(url, body, HTTP_HX_REQUEST="true")
    accepted = client.post(url, body, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)

    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert Customer.objects.get(pk=world.customer.pk).status == Customer.Status.VALID
