"""Content-Security-Policy (django-csp): every response carries a policy that allows only our own
files, and no template brings back inline code that would need 'unsafe-inline'.

The browser proof that htmx and Chart.js work under it is tests/browser/test_csp_browser.py.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver

from imports.models import FileImport

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def url_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL of ours; the admin is checked on its own."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route != "admin/":
                yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


@pytest.fixture
def file_import(manager):
    return FileImport.objects.create(
        file_name="leads.csv",
        file="imports/leads.csv",
        sha256="0" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
    )


def test_the_policy_allows_only_our_own_files_and_nothing_inline(client, db):
    policy = directives(client.get("/accounts/login/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    header = client.get("/accounts/login/")[HEADER]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_every_url_answers_with_the_policy(manager_client, customer, counsellor, file_import):
    pks = {"customers/": customer.pk, "imports/": file_import.pk, "users/": counsellor.pk}
    routes = list(url_patterns())
    assert len(routes) > 20

    for route in routes:
        pk = next((pk for prefix, pk in pks.items() if route.startswith(prefix)), None)
        url = "/" + route.replace("<uuid:pk>", str(pk))
        response = manager_client.get(url)
        assert HEADER in response, f"{url} ({response.status_code}) has no {HEADER}"


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("anonymous", "/accounts/login/", 200),
        ("counsellor", "/imports/", 403),
        ("counsellor", "/no-such-page/", 404),
        ("manager", "/admin/", 200),
    ],
)
def test_error_pages_and_the_admin_carry_the_policy_too(
    client, request, manager, counsellor, persona, url, status
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    manager.is_staff = manager.is_superuser = True
    manager.save()

    response = client.get(url)

    assert response.status_code == status
    assert HEADER in response


def htmx_config(html: str) -> dict:
    found = re.search(r"""<meta name="htmx-config"\s+content='([^']*)'>""", html)
    assert found, "no htmx-config meta tag"
    return json.loads(found.group(1))


def test_htmx_is_told_not_to_inject_its_indicator_style(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert htmx_config(html)["includeIndicatorStyles"] is False


def test_htmx_restores_history_with_a_plain_request(client, db):
    """On a history-cache miss htmx asks for the whole page, not the fragment (Back)."""
    html = client.get("/accounts/login/").content.decode()

    assert htmx_config(html)["historyRestoreAsHxRequest"] is False


# --- Templates stay free of inline code ---------------------------------------------------------

INLINE = {
    "a <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an on...= event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "an hx-on attribute (evaluated as code)": re.compile(r"\shx-on", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def without_comments(source: str) -> str:
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.DOTALL)
    return re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", source, flags=re.DOTALL)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_inline_script_or_style(template):
    source = without_comments(template.read_text())

    found = [what for what, pattern in INLINE.items() if pattern.search(source)]

    assert found == [], f"{template.relative_to(TEMPLATES)} has {', '.join(found)}"
