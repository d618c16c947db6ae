"""Every page each person can reach, read as a browser reads it.

The crawl (tests/crawl.py) logs in as each persona, starts at "/", follows every same-site link
and submits every GET form untouched, over a small agency with something in every state. Each
page must answer without a server error, be a whole page with the main navigation when loaded
directly, carry a CSRF token in every POST form, and pass the Nu HTML checker. Then each POST
form is posted untouched, without htmx, and rolled back: a redirect or a whole page (a form with
its errors, a preview), never a fragment. Every URL htmx asks for must answer a plain request
too: a whole page, a redirect, or 405 for a POST-only URL.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve

from customers.models import Customer
from customers.tests.pages import press

from .crawl import (
    BROKEN_LINK,
    FRAGMENT,
    NO_TOKEN,
    SERVER_ERROR,
    VNU_JAR,
    Crawler,
    agency,
    check_html,
    htmx_problems,
    is_whole_page,
    java_or_skip,
)

pytestmark = pytest.mark.django_db  # the crawl's module fixture needs the test database set up

ROOT = Path(__file__).resolve().parent.parent
REVIEW_DIR = ROOT / "test-results" / "html"  # a copy of every page crawled, to look at

# What each persona's crawl must at least have reached: proof the crawl is not vacuous.
REACHED = {
    "anonymous": {"accounts:login"},
    "counsellor": {
        "home",
        "dashboard:index",
        "customers:list",
        "customers:detail",
        "customers:edit",
        "accounts:profile",
        "accounts:password_change",
    },
    "manager": {
        "home",
        "dashboard:index",
        "customers:list",
        "customers:detail",
        "customers:edit",
        "customers:create",
        "customers:reassign_all",
        "customers:export_csv",
        "customers:export_xlsx",
        "imports:list",
        "imports:create",
        "imports:detail",
        "imports:errors",
        "team:list",
        "team:create",
        "team:edit",
        "team:set_password",
        "accounts:profile",
        "accounts:password_change",
    },
}
REACHED["superuser"] = REACHED["manager"] | {"admin:index"}


@dataclass
class Crawled:
    crawlers: dict[str, Crawler]
    htmx: list[str]
    html_dir: Path

    def problems(self, kind: str) -> list[str]:
        return [
            text
            for crawler in self.crawlers.values()
            for problem_kind, text in crawler.problems
            if problem_kind == kind
        ]


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker, tmp_path_factory) -> Crawled:
    """Build the agency, crawl it as every persona, then roll everything back.

    Module-scoped so the five checks below share one crawl; the pages go to this run's own
    folder (safe under xdist) and a copy to test-results/html/<persona>/ for people to read.
    """
    html_dir = tmp_path_factory.mktemp("html")
    media = tmp_path_factory.mktemp("media")
    # Five customers a page, so the crawl sees the pagination too.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, CUSTOMERS_PER_PAGE=5),
        transaction.atomic(),
    ):
        people = agency()
        personas = {
            "anonymous": None,
            "counsellor": people.arjun,
            "manager": people.manager,
            "superuser": people.superuser,
        }
        crawlers, htmx = {}, []
        for persona, user in personas.items():
            client = Client(enforce_csrf_checks=True)
            if user is not None:
                client.force_login(user)
            crawler = Crawler(client, persona, html_dir / persona, logged_in=user is not None)
            crawlers[persona] = crawler.run("/").submit_post_forms(log_in_as(user))
            htmx += htmx_problems(crawler)
        transaction.set_rollback(True)
    crawled = Crawled(crawlers, htmx, html_dir)
    for persona in crawlers:
        shutil.rmtree(REVIEW_DIR / persona, ignore_errors=True)
        shutil.copytree(html_dir / persona, REVIEW_DIR / persona, dirs_exist_ok=True)
    return crawled


def log_in_as(user):
    def log_in(client: Client) -> None:
        if user is not None:
            client.force_login(user)

    return log_in


def listing(problems) -> str:
    return "\n".join(sorted(problems))


def test_the_crawl_reaches_every_kind_of_page(crawled):
    for persona, crawler in crawled.crawlers.items():
        views = {resolve(visit.url.split("?")[0]).view_name for visit in crawler.visits}
        assert REACHED[persona] <= views, f"{persona} never reached {REACHED[persona] - views}"
    assert "admin:index" not in {
        resolve(visit.url.split("?")[0]).view_name
        for persona in ("manager", "counsellor")
        for visit in crawled.crawlers[persona].visits
    }


def test_no_page_answers_with_a_server_error(crawled):
    assert not crawled.problems(SERVER_ERROR), listing(crawled.problems(SERVER_ERROR))


def test_no_link_a_person_is_shown_is_broken(crawled):
    assert not crawled.problems(BROKEN_LINK), listing(crawled.problems(BROKEN_LINK))


def test_every_post_form_carries_its_csrf_token(crawled):
    assert not crawled.problems(NO_TOKEN), listing(crawled.problems(NO_TOKEN))


def test_every_page_loaded_directly_is_a_whole_page(crawled):
    assert not crawled.problems(FRAGMENT), listing(crawled.problems(FRAGMENT))


def test_every_htmx_url_answers_a_plain_request_with_a_whole_page(crawled):
    assert not crawled.htmx, listing(crawled.htmx)


def test_the_html_check_skips_without_its_jar(tmp_path, monkeypatch):
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)

    with pytest.raises(pytest.skip.Exception, match="vnu.jar"):
        java_or_skip(tmp_path / "vnu.jar")


def test_the_html_check_fails_without_its_jar_when_required(tmp_path, monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")

    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER"):
        java_or_skip(tmp_path / "vnu.jar")


def test_every_page_is_valid_html(crawled):
    java = java_or_skip(VNU_JAR)
    pages = {
        str(crawled.html_dir / visit.persona / visit.saved_as): visit
        for crawler in crawled.crawlers.values()
        for visit in crawler.visits + crawler.posts
        if visit.saved_as
    }

    errors = check_html(java, crawled.html_dir)

    found = []
    for error in errors:
        path = error.get("url", "").removeprefix("file:")
        visit = pages.get(os.path.normpath(path))
        where = f"{visit.persona}: {visit.url}" if visit else path
        line = error.get("lastLine", "?")
        found.append(f"{where} line {line}: {error['message']}\n    {error.get('extract', '')!r}")
    assert not found, f"{len(found)} HTML errors:\n" + "\n".join(sorted(found))


# ---------------------------------------------------------------------------------------------
# Without htmx: the forms htmx posts from, posted the plain way, answer with whole pages.


@pytest.mark.parametrize("button", ["Assign", "Distribute…", "Change status"])
def test_a_plain_post_of_a_bulk_action_redirects_to_the_list(app, manager, customer, button):
    page = app.get("/customers/?status=NEW", user=manager)

    response = press(page.forms["bulk-form"], button)

    assert response.status_code == 302
    assert response["Location"] == "/customers/?status=NEW"
    assert is_whole_page(response.follow().text)


def test_a_plain_post_of_the_status_form_redirects_to_the_whole_page(app, counsellor, customer):
    page = app.get(f"/customers/{customer.pk}/", user=counsellor)
    form = page.forms["status-form"]
    form["status"] = Customer.Status.VALID

    response = form.submit()

    assert response.status_code == 302
    assert is_whole_page(response.follow().text)
    customer.refresh_from_db()
    assert customer.status == Customer.Status.VALID


def test_a_plain_post_of_a_wrong_status_form_shows_the_whole_page(app, counsellor, customer):
    page = app.get(f"/customers/{customer.pk}/", user=counsellor)
    form = page.forms["status-form"]
    form["status"] = Customer.Status.FOLLOW_UP  # needs a follow-up date, left empty

    response = form.submit(status=400)

    assert is_whole_page(response.text)


# ---------------------------------------------------------------------------------------------
# One URL, two answers: the cache must be told which.


def test_the_list_answered_to_htmx_varies_on_hx_request(manager_client, customer):
    response = manager_client.get("/customers/?q=anj", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert not is_whole_page(response.content.decode())
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_list(manager_client, customer):
    response = manager_client.get(
        "/customers/?q=anj", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert response.status_code == 200
    assert is_whole_page(response.content.decode())
    assert "HX-Request" in response["Vary"]
