"""Every URL of the project, for every persona: who gets in, who logs in first, who gets 403/404.

`MATRIX` has one row per named URL pattern. Adding a URL without a row fails
`test_every_url_pattern_has_a_row_in_the_matrix`, so nobody ships a page whose access rules were
never written down. The admin has its own checks at the bottom.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AgencySettings, User
from customers.models import Customer
from imports.models import FileImport

PERSONAS = ["anonymous", "manager", "counsellor", "other_counsellor"]

# Sentinel: a 302 to /accounts/login/?next=<the requested URL>.
LOGIN = "login"


@dataclass(frozen=True)
class Redirect:
    """A 302 to `to`, which may name the URL's own `{pk}`."""

    to: str


@dataclass(frozen=True)
class Row:
    method: str
    anonymous: object
    manager: object
    counsellor: object
    other_counsellor: object
    # Builds the POST body from the world; valid, so the happy path is real.
    data: object = field(default=lambda world: {})
    # Builds the URL's keyword arguments from the world.
    kwargs: object = field(default=lambda world: {})


def customer_pk(world):
    return {"pk": world.customer.pk}


def import_pk(world):
    return {"pk": world.file_import.pk}


def counsellor_pk(world):
    return {"pk": world.counsellor.pk}


def bulk_assign_data(world):
    return {"customer_ids": [world.customer.pk], "assigned_to": world.other_counsellor.pk}


def bulk_status_data(world):
    return {"customer_ids": [world.customer.pk], "status": Customer.Status.VALID}


def distribute_data(world):
    return {"customer_ids": [world.customer.pk], "confirm": "on"}


def change_status_data(world):
    return {"status": Customer.Status.VALID, "notes": "Verified on call"}


def assign_data(world):
    return {"assigned_to": world.other_counsellor.pk}


def record_call_data(world):
    return {"outcome": Customer.CallOutcome.NO_ANSWER}


def settings_data(world):
    return {"counsellors_may_export": "on"}


DASHBOARD = Redirect("/dashboard/")
HOME = Redirect("/")
LOGIN_PAGE = Redirect("/accounts/login/")
CUSTOMER_LIST = Redirect("/customers/")
CUSTOMER_DETAIL = Redirect("/customers/{pk}/")
IMPORT_DETAIL = Redirect("/imports/{pk}/")
TEAM_MEMBER = Redirect("/users/{pk}/edit/")
TEAM = Redirect("/users/")

# The customer belongs to `counsellor`; `other_counsellor` is never its owner.
# Imports are a manager's tool: counsellors are refused before anything is looked up.
MATRIX = {
    "home": Row("get", LOGIN, DASHBOARD, DASHBOARD, DASHBOARD),
    "accounts:login": Row("get", 200, HOME, HOME, HOME),
    "accounts:logout": Row("post", LOGIN_PAGE, LOGIN_PAGE, LOGIN_PAGE, LOGIN_PAGE),
    "accounts:password_change": Row("get", LOGIN, 200, 200, 200),
    "accounts:password_change_done": Row("get", LOGIN, 200, 200, 200),
    "accounts:profile": Row("get", LOGIN, 200, 200, 200),
    "dashboard:index": Row("get", LOGIN, 200, 200, 200),
    "customers:list": Row("get", LOGIN, 200, 200, 200),
    # Counsellors add walk-ins, who become theirs.
    "customers:create": Row("get", LOGIN, 200, 200, 200),
    # Managers export; counsellors only once a manager allows it on the Team page (off here),
    # and then what they can see: visible_to() decides which rows.
    "customers:export_csv": Row("get", LOGIN, 200, 403, 403),
    "customers:export_xlsx": Row("get", LOGIN, 200, 403, 403),
    "customers:bulk_assign": Row("post", LOGIN, CUSTOMER_LIST, 403, 403, bulk_assign_data),
    "customers:bulk_status": Row("post", LOGIN, CUSTOMER_LIST, 403, 403, bulk_status_data),
    # Preview-and-confirm tools for sharing customers out: managers only.
    "customers:distribute": Row("post", LOGIN, CUSTOMER_LIST, 403, 403, distribute_data),
    "customers:reassign_all": Row("get", LOGIN, 200, 403, 403),
    "customers:detail": Row("get", LOGIN, 200, 200, 404, kwargs=customer_pk),
    "customers:edit": Row("get", LOGIN, 200, 200, 404, kwargs=customer_pk),
    "customers:change_status": Row(
        "post", LOGIN, CUSTOMER_DETAIL, CUSTOMER_DETAIL, 404, change_status_data, customer_pk
    ),
    "customers:assign": Row("post", LOGIN, CUSTOMER_DETAIL, 403, 403, assign_data, customer_pk),
    # A call's outcome from My day or the list: whoever may see the customer (no `next`: back
    # to the customer's page).
    "customers:record_call": Row(
        "post", LOGIN, CUSTOMER_DETAIL, CUSTOMER_DETAIL, 404, record_call_data, customer_pk
    ),
    "imports:list": Row("get", LOGIN, 200, 403, 403),
    "imports:create": Row("get", LOGIN, 200, 403, 403),
    "imports:detail": Row("get", LOGIN, 200, 403, 403, kwargs=import_pk),
    "imports:retry": Row("post", LOGIN, IMPORT_DETAIL, 403, 403, kwargs=import_pk),
    "imports:errors": Row("get", LOGIN, 200, 403, 403, kwargs=import_pk),
    # Team management is a manager's tool; the person managed here is `counsellor`, who may
    # not even manage themselves.
    "team:list": Row("get", LOGIN, 200, 403, 403),
    "team:create": Row("get", LOGIN, 200, 403, 403),
    "team:settings": Row("post", LOGIN, TEAM, 403, 403, settings_data),
    "team:edit": Row("get", LOGIN, 200, 403, 403, kwargs=counsellor_pk),
    "team:set_password": Row("get", LOGIN, 200, 403, 403, kwargs=counsellor_pk),
    "team:deactivate": Row("post", LOGIN, TEAM_MEMBER, 403, 403, kwargs=counsellor_pk),
    "team:reactivate": Row("post", LOGIN, TEAM_MEMBER, 403, 403, kwargs=counsellor_pk),
    # For load balancers and container health checks: open, and reveals no data.
    "healthz": Row("get", 200, 200, 200, 200),
}


def url_patterns(resolver=None, namespace="", prefix=""):
    """Yield (name, route) for every pattern outside the admin; name is None when unnamed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None, route)


ROUTES = dict(url_patterns())


def url_for(name, world):
    return reverse(name, kwargs=MATRIX[name].kwargs(world))


def login_redirect(url):
    return reverse("accounts:login") + "?" + urlencode({"next": url}, safe="/")


@dataclass
class World:
    manager: User
    counsellor: User
    other_counsellor: User
    customer: Customer
    file_import: FileImport


@pytest.fixture
def world(manager, counsellor, other_counsellor, customer):
    # A finished import: "run again" refuses it without starting the background task.
    file_import = FileImport.objects.create(
        file_name="leads.csv",
        file="imports/leads.csv",
        sha256="0" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
    )
    return World(manager, counsellor, other_counsellor, customer, file_import)


def client_as(client, persona, world):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def world_state(world):
    """What a refused request must leave untouched."""
    customer = Customer.objects.get(pk=world.customer.pk)
    file_import = FileImport.objects.get(pk=world.file_import.pk)
    return (
        customer.status,
        customer.assigned_to_id,
        customer.notes,
        customer.remark,
        file_import.status,
        Customer.objects.count(),
        FileImport.objects.count(),
        AgencySettings.current().counsellors_may_export,
    )


def test_every_url_pattern_has_a_row_in_the_matrix():
    unnamed = [route for name, route in url_patterns() if name is None]

    assert unnamed == [], "every URL needs a name, and a row in MATRIX"
    assert set(ROUTES) == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(n for n in ROUTES if n))
def test_access_matrix(client, world, name, persona):
    if name not in MATRIX:
        pytest.fail(f"{name} has no row in MATRIX: decide who may use it")
    row = MATRIX[name]
    url = url_for(name, world)
    expected = getattr(row, persona)
    before = world_state(world)

    response = getattr(client_as(client, persona, world), row.method)(url, row.data(world))

    if expected == LOGIN:
        assert (response.status_code, response["Location"]) == (302, login_redirect(url))
    elif isinstance(expected, Redirect):
        location = expected.to.format(**row.kwargs(world))
        assert (response.status_code, response["Location"]) == (302, location)
    else:
        assert response.status_code == expected
    if expected in (LOGIN, 403, 404):
        # A refused request changes nothing.
        assert world_state(world) == before


@pytest.mark.parametrize("persona", ["manager", "counsellor", "other_counsellor"])
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row.method == "post"))
def test_post_only_urls_answer_get_with_405(client, world, name, persona):
    response = client_as(client, persona, world).get(url_for(name, world))

    assert response.status_code == 405


# The admin -----------------------------------------------------------------------------------

PROJECT_APPS = ["accounts", "customers", "imports", "dashboard"]

ADMIN_CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "correct-horse-battery")


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")

    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


@pytest.mark.parametrize("persona", ["manager", "counsellor"])
@pytest.mark.parametrize("url_name", ["admin:index", *ADMIN_CHANGELISTS])
def test_staff_less_users_are_kept_out_of_the_admin(client, world, persona, url_name):
    url = reverse(url_name)

    response = client_as(client, persona, world).get(url)

    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


def test_every_model_of_ours_is_in_the_admin():
    ours = {
        model._meta.label
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }
    registered = {model._meta.label for model in admin.site._registry}

    assert ours - registered == set()


@pytest.mark.parametrize("url_name", ["admin:index", *ADMIN_CHANGELISTS])
def test_superuser_opens_the_admin_index_and_every_changelist(client, superuser, world, url_name):
    # A history row of each kind, so the changelists render real rows.
    world.customer.change_status(Customer.Status.VALID, by=superuser)
    world.customer.assign_to(world.other_counsellor, by=superuser)
    client.force_login(superuser)

    response = client.get(reverse(url_name))

    assert response.status_code == 200


def test_superuser_opens_a_customer_and_a_user_in_the_admin(client, superuser, world):
    client.force_login(superuser)

    customer_page = client.get(reverse("admin:customers_customer_change", args=[world.customer.pk]))
    user_page = client.get(reverse("admin:accounts_user_change", args=[world.counsellor.pk]))

    assert (customer_page.status_code, user_page.status_code) == (200, 200)
