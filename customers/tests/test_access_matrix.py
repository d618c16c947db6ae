"""Every customers URL, for every persona: who gets in, who is sent to log in, who gets 403/404.

Adding a URL to customers/urls.py without a row here fails `test_every_customers_url_has_a_row`.
"""

import pytest
from django.urls import reverse

from customers import urls as customer_urls
from customers.models import Customer

PERSONAS = ["anonymous", "manager", "counsellor", "other_counsellor"]
LOGIN = "login"  # a redirect to the login page

# url name -> (method, whose customer the URL is about, valid data, expected per persona).
# "customer" belongs to `counsellor`; `other_counsellor` is the wrong owner.
MATRIX = {
    "list": ("get", None, None, (LOGIN, 200, 200, 200)),
    "create": ("get", None, None, (LOGIN, 200, 403, 403)),
    # Exports hold what the list shows each persona: everyone signed in may download theirs.
    "export_csv": ("get", None, None, (LOGIN, 200, 200, 200)),
    "export_xlsx": ("get", None, None, (LOGIN, 200, 200, 200)),
    "bulk_assign": ("post", None, "bulk_assign", (LOGIN, 302, 403, 403)),
    "bulk_status": ("post", None, "bulk_status", (LOGIN, 302, 403, 403)),
    "detail": ("get", "customer", None, (LOGIN, 200, 200, 404)),
    "edit": ("get", "customer", None, (LOGIN, 200, 200, 404)),
    "change_status": ("post", "customer", {"status": "VALID"}, (LOGIN, 302, 302, 404)),
    "assign": ("post", "customer", "assign", (LOGIN, 302, 403, 403)),
}
# POST-only URLs answer a signed-in GET with 405; anonymous visitors still go to log in first.
POST_ONLY = ["bulk_assign", "bulk_status", "change_status", "assign"]


def test_every_customers_url_has_a_row():
    assert set(MATRIX) == {pattern.name for pattern in customer_urls.urlpatterns}


def log_in(client, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def payload(kind, customer, counsellor, other_counsellor):
    if kind == "bulk_assign":
        return {"customer_ids": [str(customer.pk)], "assigned_to": str(other_counsellor.pk)}
    if kind == "bulk_status":
        return {"customer_ids": [str(customer.pk)], "status": "VALID"}
    if kind == "assign":
        return {"assigned_to": str(other_counsellor.pk)}
    return kind


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access(client, customer, counsellor, other_counsellor, request, name, persona):
    method, about, data, expected = MATRIX[name]
    url = reverse(f"customers:{name}", args=[customer.pk] if about else [])
    log_in(client, persona, request)

    response = getattr(client, method)(url, payload(data, customer, counsellor, other_counsellor))

    want = expected[PERSONAS.index(persona)]
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == want
    if want in {LOGIN, 403, 404}:
        customer.refresh_from_db()
        assert (customer.status, customer.assigned_to) == (Customer.Status.NEW, counsellor)


@pytest.mark.parametrize("name", POST_ONLY)
@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_post_only_urls_refuse_get(client, customer, request, name, persona):
    about = MATRIX[name][1]
    url = reverse(f"customers:{name}", args=[customer.pk] if about else [])
    log_in(client, persona, request)

    assert client.get(url).status_code == 405
