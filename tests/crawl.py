"""Read the site the way a browser does: follow every link, submit every GET form as it stands.

`Crawler` starts at a URL with a logged-in test client and visits every same-site page it can
reach, keeping what it saw (`Visit`) and what a person would run into (`problems`). `agency()`
builds the small data set the crawl runs over, through the same model methods the pages use,
so every status, assignment, note and follow-up shows up somewhere. `check_html()` runs the
Nu HTML checker over the saved pages.
"""

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.factories import CounsellorFactory, ManagerFactory
from config.settings import env_bool
from customers.factories import CustomerFactory
from customers.models import Customer
from imports.models import FileImport
from imports.services import run_import

S = Customer.Status
PAGE_LIMIT = 300  # pages per persona
# Pages per view and set of query parameters: forty customers' details (each in its own state),
# but only a few of one list filtered the same way with other values, a few sorted or paged
# (whatever the filter), and a couple of each download.
SHAPE_LIMIT, FILTERED_SHAPE_LIMIT, DOWNLOAD_LIMIT = 40, 3, 2
# Parameters that change how a list is shown, not what is in it.
PRESENTATION = {"sort", "page", "select"}
SKIPPED_PATHS = {"/accounts/logout/"}  # a POST form; a link there would be a bug anyway
ADMIN = "/admin/"  # Django's own pages: the index only
HTMX_ATTRIBUTES = ("data-hx-get", "data-hx-post", "hx-get", "hx-post")
# Input types whose box submits its form on Enter when the form has no button.
IMPLICIT_SUBMIT = ["text", "search", "email", "url", "tel", "password", "number", "date"]
# Kinds of problem the crawl reports.
SERVER_ERROR, BROKEN_LINK, FRAGMENT, NO_TOKEN = "5xx", "4xx", "fragment", "no CSRF token"


@dataclass
class Visit:
    persona: str
    url: str
    found_on: str  # the page that linked here, or "start"
    status: int
    content_type: str = ""
    location: str = ""  # where a redirect goes
    saved_as: str = ""  # file name of the HTML under the persona's folder
    download: bool = False

    @property
    def is_html(self) -> bool:
        return not self.download and self.content_type.startswith("text/html")


@dataclass
class Crawler:
    """Visit every page one person can reach from `start`, breadth first, within limits."""

    client: Client
    persona: str
    html_dir: Path  # where each page's HTML is saved, for the HTML checker
    logged_in: bool = True
    visits: list[Visit] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, what and where)
    # URL -> [(attribute, page it was found on)] for every htmx request a page can make.
    htmx_urls: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # (action, fields, page) of each POST form and button, one per view posted to from a view.
    post_forms: dict[tuple, tuple[str, list, str]] = field(default_factory=dict)
    posts: list[Visit] = field(default_factory=list)  # what submitting them answered
    _seen: set = field(default_factory=set)
    _shapes: Counter = field(default_factory=Counter)
    _downloads: set = field(default_factory=set)  # views that answered with a file
    _queue: deque = field(default_factory=deque)

    def run(self, start: str = "/") -> "Crawler":
        self.html_dir.mkdir(parents=True, exist_ok=True)
        self._enqueue(start, "start")
        while self._queue and len(self.visits) < PAGE_LIMIT:
            url, found_on = self._queue.popleft()
            self._visit(url, found_on)
        return self

    def _enqueue(self, href: str, found_on: str) -> None:
        url = same_site(href, found_on)
        if url is None or url in self._seen:
            return
        shape = url_shape(url)
        if shape is not None and shape[0] in self._downloads:
            shape = (shape[0], "download")
        if shape is None or self._shapes[shape] >= shape_limit(shape):
            return
        self._seen.add(url)
        self._shapes[shape] += 1
        self._queue.append((url, found_on))

    def _visit(self, url: str, found_on: str) -> None:
        response = self.client.get(url)
        visit = Visit(self.persona, url, found_on, response.status_code)
        visit.content_type = response.get("Content-Type", "")
        visit.download = "attachment" in response.get("Content-Disposition", "")
        self.visits.append(visit)
        if visit.download:
            self._downloads.add(url_shape(url)[0])
        where = f"{self.persona}: {url} (linked from {found_on})"
        if response.status_code >= 500:
            self.problems.append((SERVER_ERROR, f"{where} answered {response.status_code}"))
        elif response.status_code >= 400:
            self.problems.append((BROKEN_LINK, f"{where} answered {response.status_code}"))
        if response.status_code in (301, 302, 303, 307, 308):
            visit.location = response["Location"]
            self._enqueue(visit.location, url)
        if response.streaming:
            b"".join(response.streaming_content)  # a download is read to its end, as a browser does
        if response.status_code != 200 or not visit.is_html:
            return
        html = response.content.decode()
        visit.saved_as = save_html(self.html_dir, url, html)
        self._read_page(url, html, where)

    def _read_page(self, url: str, html: str, where: str) -> None:
        soup = BeautifulSoup(html, "html.parser")
        for kind, problem in page_problems(url, soup, logged_in=self.logged_in):
            self.problems.append((kind, f"{where}: {problem}"))
        for link in soup.find_all("a", href=True):
            self._enqueue(link["href"], url)
        for form in soup.find_all("form"):
            if form.get("method", "get").lower() == "get":
                action = form.get("action") or url
                query = urlencode(form_defaults(form), doseq=True)
                self._enqueue(f"{urljoin(url, action).split('?')[0]}?{query}", url)
            else:
                self._keep_post_form(url, form)
        for attribute in HTMX_ATTRIBUTES:
            for element in soup.find_all(attrs={attribute: True}):
                target = same_site(element[attribute], url)
                if target is not None:
                    self.htmx_urls.setdefault(target, []).append((attribute, url))

    def _keep_post_form(self, url: str, form) -> None:
        """Remember what pressing each of the form's buttons would post, untouched."""
        buttons = [
            button
            for button in form.find_all(["button", "input"])
            if button.get("type", "submit" if button.name == "button" else "text") == "submit"
        ]
        text_boxes = form.find_all("input", attrs={"type": IMPLICIT_SUBMIT})
        text_boxes += [i for i in form.find_all("input") if not i.get("type")]
        if not buttons and not text_boxes:
            return  # nothing a person can press: no button, no box to press Enter in
        for button in buttons or [None]:
            action = (button and button.get("formaction")) or form.get("action") or url
            action = same_site(action, url)
            if action is None or url_shape(action) is None:
                continue  # logging out, Django's admin
            pressed = (
                [(button["name"], button.get("value", ""))] if button and button.get("name") else []
            )
            page_view = resolve(urlsplit(url).path).view_name
            key = (resolve(urlsplit(action).path).view_name, page_view, tuple(pressed))
            self.post_forms.setdefault(key, (action, form_defaults(form) + pressed, url))

    def submit_post_forms(self, log_in) -> "Crawler":
        """Post every form kept, untouched and without htmx, each undone afterwards.

        The answer is a redirect or a whole page (a form with its errors, a preview), never a
        fragment or a server error. `log_in` logs the client in again after each post: one may
        log out or rotate the session, and undoing it leaves the cookie pointing nowhere.
        """
        for action, fields, page in self.post_forms.values():
            data = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            with transaction.atomic():
                response = self.client.post(action, data)
                transaction.set_rollback(True)
            log_in(self.client)
            visit = Visit(self.persona, action, page, response.status_code)
            visit.content_type = response.get("Content-Type", "")
            self.posts.append(visit)
            where = f"{self.persona}: POST {action} (the form on {page})"
            if response.status_code >= 500:
                self.problems.append((SERVER_ERROR, f"{where} answered {response.status_code}"))
            elif response.status_code in (403, 404, 405):
                self.problems.append((BROKEN_LINK, f"{where} answered {response.status_code}"))
            if response.status_code not in (200, 400) or not visit.is_html:
                continue
            html = response.content.decode()
            visit.saved_as = save_html(self.html_dir, f"/post{action}?from={page}", html)
            soup = BeautifulSoup(html, "html.parser")
            for kind, problem in page_problems(action, soup, logged_in=self.logged_in):
                self.problems.append((kind, f"{where}: {problem}"))
        return self


def page_problems(url: str, soup: BeautifulSoup, *, logged_in: bool) -> list[tuple[str, str]]:
    """What is wrong with a page loaded directly: a fragment, or a POST form without its token."""
    problems = []
    if soup.find("html") is None or soup.find("body") is None:
        problems.append((FRAGMENT, "is a fragment, not a whole page (no <html> or <body>)"))
    elif logged_in and not url.startswith(ADMIN) and not main_nav(soup):
        problems.append((FRAGMENT, "has no main navigation"))
    for number, form in enumerate(soup.find_all("form"), 1):
        if form.get("method", "get").lower() != "post":
            continue
        token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})
        if token is None or not token.get("value"):
            name = form.get("id") or form.get("action") or f"form {number}"
            problems.append((NO_TOKEN, f"POST form {name!r} has no csrfmiddlewaretoken"))
    return problems


def main_nav(soup: BeautifulSoup) -> bool:
    return soup.find("nav", attrs={"aria-label": "Main"}) is not None


def is_whole_page(html: str) -> bool:
    soup = BeautifulSoup(html, "html.parser")
    return soup.find("html") is not None and main_nav(soup)


def same_site(href: str, base: str) -> str | None:
    """The path and query `href` points to on this site, or None for elsewhere."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    base = base if base.startswith("/") else "/"
    parts = urlsplit(urljoin(f"http://testserver{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def url_shape(url: str) -> tuple | None:
    """What the crawl counts against the limits, or None to skip the URL: (view, names of
    the filters given) or, for a list sorted, paged or selecting, (view, those names).

    Pages past the second of a list are skipped: they show the same template as page two.
    """
    parts = urlsplit(url)
    if parts.path in SKIPPED_PATHS or parts.path.startswith("/static/"):
        return None
    if parts.path.startswith(ADMIN) and parts.path != ADMIN:
        return None
    params = parse_qsl(parts.query, keep_blank_values=True)
    page = dict(params).get("page", "")
    if page.isdigit() and int(page) > 2:
        return None
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path  # followed anyway: a broken link is reported when visited
    names = {name for name, value in params if value}
    if names & PRESENTATION:
        return view, tuple(sorted(names & PRESENTATION))
    return view, tuple(sorted(names))


def shape_limit(shape: tuple) -> int:
    if shape[1] == "download":
        return DOWNLOAD_LIMIT
    return FILTERED_SHAPE_LIMIT if shape[1] else SHAPE_LIMIT


def form_defaults(form) -> list[tuple[str, str]]:
    """The name/value pairs a browser sends when this form is submitted untouched."""
    pairs = []
    for element in form.find_all(["input", "select", "textarea", "button"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            pairs.append((name, element.get_text()))
        elif element.name == "select":
            options = [o for o in element.find_all("option") if not o.has_attr("disabled")]
            chosen = [o for o in element.find_all("option") if o.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = options[:1]
            pairs += [(name, o.get("value", o.get_text())) for o in chosen if o in options]
        elif element.name == "input":
            kind = element.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            pairs.append((name, element.get("value", "on" if kind == "checkbox" else "")))
    return pairs


def save_html(folder: Path, url: str, html: str) -> str:
    """Write a page under a readable, unique file name made from its URL; return the name."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", urlsplit(url).path).strip("-") or "home"
    query = urlsplit(url).query
    if query:
        stem += "-" + hashlib.sha1(query.encode()).hexdigest()[:8]
    name = f"{stem}.html"
    (folder / name).write_text(html, encoding="utf-8")
    return name


# ---------------------------------------------------------------------------------------------
# The Nu HTML checker (vnu.jar, from npm: theme/static_src/node_modules/vnu-jar).

VNU_JAR = (
    Path(__file__).resolve().parent.parent
    / "theme/static_src/node_modules/vnu-jar/build/dist/vnu.jar"
)


def check_html(java: str, folder: Path) -> list[dict]:
    """Every error the checker finds in the .html files under `folder` (one JVM for all)."""
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html"]
    command += ["--format", "json", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    # JSON goes to stderr; the exit status is 1 when there are errors, so read the report.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise RuntimeError(f"vnu.jar said: {result.stderr or result.stdout}") from None
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def java_or_skip(jar: Path) -> str:
    """Return java's path when it and the checker's jar are here; otherwise skip, or fail
    when REQUIRE_BROWSER (set by CI) forbids skipping, as the browser tests do."""
    java = shutil.which("java")
    if java and jar.exists():
        return java
    if not java:
        reason = "the HTML check needs java (apt-get install default-jre-headless)"
    else:
        reason = f"the HTML check needs {jar} (make css, or npm install in theme/static_src)"
    if env_bool("REQUIRE_BROWSER", False):
        pytest.fail(f"{reason}; REQUIRE_BROWSER is set, so it may not be skipped", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------
# The data set: a small agency with something in every state.

LEADS_CSV = (
    b"Student Name,Mobile No,City,Enquiry Date,Remarks\n"
    b"Kavya Menon,9847055501,Kochi,05/01/2026,Parent called\n"
    b"Rahul Pillai,+91 98950 55502,Thrissur,,\n"
    b"No Phone,12345,Kollam,,\n"
    b"Rahul Pillai,98950 55502,Thrissur,,Called twice\n"
    b"Bad Date,9447055503,Trivandrum,31/02/2026,\n"
)


@dataclass
class Agency:
    manager: object
    superuser: object
    arjun: object
    meera: object
    customers: list


def agency() -> Agency:
    """Two counsellors, a former one, and customers in every status: assigned and not, with
    history, notes and follow-ups due, overdue and ahead; one finished import with failed and
    merged rows and one waiting for its worker."""
    today = timezone.localdate()
    manager = ManagerFactory(username="priya", first_name="Priya", last_name="Nair")
    superuser = ManagerFactory(
        username="sunil", first_name="Sunil", is_staff=True, is_superuser=True
    )
    arjun = CounsellorFactory(username="arjun", first_name="Arjun", last_name="Menon")
    meera = CounsellorFactory(username="meera", first_name="Meera", last_name="Iyer")
    ravi = CounsellorFactory(username="ravi", first_name="Ravi", last_name="Kumar")
    CounsellorFactory(username="neha", first_name="Neha", last_name="Joshi")  # no customers
    customers = []
    follow_ups = [-2, 0, 3]  # overdue, today, ahead
    for number, status in enumerate(S.values):
        for owner in (arjun if number % 2 else meera, None):
            customer = CustomerFactory(remark="Asked about fees" if owner else "")
            customers.append(customer)
            if owner:
                customer.assign_to(owner, by=manager)
            if status == S.NEW:
                continue
            needs_date = status in Customer.FOLLOW_UP_REQUIRED
            customer.record_progress(
                by=owner or manager,
                status=status,
                note=f"Called; now {S(status).label}." if owner else "",
                follow_up_on=today + timedelta(days=follow_ups[number % 3]) if needs_date else None,
            )
    customers[0].add_note("Wants hostel details.", by=meera)
    customers[2].assign_to(meera, by=manager)  # reassigned: two assignment rows
    left = CustomerFactory(name="Lata Former")
    left.assign_to(ravi, by=manager)
    ravi.is_active = False
    ravi.save(update_fields=["is_active"])
    customers.append(left)
    finished = queue_import(manager, LEADS_CSV, "fair-leads.csv")
    assert finished.claim()
    run_import(finished)
    queue_import(manager, LEADS_CSV, "waiting.csv", assign=FileImport.Assign.NOBODY)
    return Agency(manager, superuser, arjun, meera, customers)


def queue_import(manager, data: bytes, name: str, **fields) -> FileImport:
    return FileImport.objects.create(
        file=ContentFile(data, name=name),
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=manager,
        **fields,
    )


def htmx_problems(crawler: Crawler) -> list[str]:
    """Every htmx URL the pages name, asked for without htmx (a new tab, a reload, a crawler):
    a whole page or a redirect; a URL only ever POSTed to may refuse GET with 405."""
    problems = []
    visited = {visit.url: visit for visit in crawler.visits}
    shapes = Counter()
    for url, sources in crawler.htmx_urls.items():
        attributes = sorted({attribute for attribute, _ in sources})
        where = f"{crawler.persona}: {url} ({', '.join(attributes)} on {sources[0][1]})"
        if url in visited and visited[url].saved_as:
            continue  # loaded as a page already, and checked as one
        shape = (url_shape(url), tuple(attributes))
        shapes[shape] += 1
        if shapes[shape] > FILTERED_SHAPE_LIMIT:
            continue  # the same view, asked the same way, already answered
        response = crawler.client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            continue
        if response.status_code == 405 and all(a.endswith("post") for a in attributes):
            continue
        if response.status_code != 200:
            problems.append(f"{where} answered a plain GET with {response.status_code}")
        elif not is_whole_page(response.content.decode()):
            problems.append(f"{where} answered a plain GET with a fragment")
    return problems
