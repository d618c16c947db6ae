"""Error pages 403, 404 and 500 in the site's own style, never Django's bare defaults.

The 500 page has to render with no request, no user and no database: it is what is left when
something has gone wrong, perhaps with the database itself.
"""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.template import loader
from django.test import override_settings
from django.urls import include, path

import config.urls


@login_not_required
def broken_view(request):
    raise RuntimeError("something unexpected")


# This module doubles as the URLconf for the 500 test: the project's URLs plus a broken view.
urlpatterns = [path("broken/", broken_view), path("", include(config.urls))]


@pytest.fixture
def anonymous_client(client):
    client.raise_request_exception = False
    return client


@override_settings(DEBUG=False)
def test_an_unknown_address_shows_our_404_page(counsellor_client):
    response = counsellor_client.get("/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert "Page not found" in html
    assert 'aria-label="Main"' in html  # the site's navigation, for a logged-in user
    assert 'href="/"' in html


@override_settings(DEBUG=False)
def test_someone_elses_customer_is_our_404_page(counsellor_client, others_customer):
    response = counsellor_client.get(f"/customers/{others_customer.pk}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_manager_only_page_shows_our_403_page_to_a_counsellor(counsellor_client):
    response = counsellor_client.get("/users/")

    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    html = response.content.decode()
    assert "You cannot do that" in html
    assert "not open to your account" in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_an_unexpected_error_shows_our_500_page(anonymous_client):
    response = anonymous_client.get("/broken/")

    assert response.status_code == 500
    assert [t.name for t in response.templates] == ["500.html"]
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "something unexpected" not in html  # nothing of the error itself is shown
    assert "/static/css/dist/styles.css" in html


def test_the_500_page_needs_no_request_and_no_database():
    # No `db` fixture: pytest-django makes any database access in this test an error.
    html = loader.get_template("500.html").render()

    assert "Something went wrong" in html
    assert '<link rel="stylesheet" href="/static/css/dist/styles.css">' in html
