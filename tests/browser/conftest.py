"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from playwright.sync_api import Page, expect

from accounts.factories import PASSWORD
from config.settings import env_bool
from customers.factories import CustomerFactory
from customers.models import Customer

from .axe_check import AxeWatch, patch_actions

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from a
# thread with a running loop; the fixtures and assertions here do call the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (containers run as root), no GPU, and nothing that phones home during a test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

# Unassigned new enquiries: what the manager filters for and hands out.
NEW_LEADS = ["Aarav Pillai", "Ananya Reddy", "Farhan Khan", "Gopika Nair", "Ishaan Rao"]
# Rows the filter has to hide: someone else's new leads, and unassigned leads further along.
OTHERS_LEADS = ["Divya Thomas", "Karthik Shetty", "Lakshmi Krishnan"]
LATER_LEADS = ["Manoj Varghese", "Neha Gupta"]


def chromium_or_skip(path: Path) -> str:
    """Return Chromium's path; without it skip, or fail when REQUIRE_BROWSER forbids skipping."""
    if path.exists():
        return str(path)
    reason = f"browser tests need Debian's Chromium at {path} (apt-get install chromium)"
    if env_bool("REQUIRE_BROWSER", False):
        pytest.fail(f"{reason}; REQUIRE_BROWSER is set, so they may not be skipped", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return chromium_or_skip(CHROMIUM)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable):
    """Launch Debian's Chromium: `playwright install` cannot download browsers here."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": CHROMIUM_ARGS,
    }


AXE_WATCH = pytest.StashKey[AxeWatch]()


@pytest.fixture
def axe(browser, monkeypatch, request) -> AxeWatch:
    """axe-core on every page this test's browser shows; any violation fails the test.

    Nothing to call: every page from `page`, `context` or `new_context` is checked before each
    action the test takes on it (goto, click, fill, select_option, screenshot, close...) if it
    changed since its last check (a new document or an htmx swap), and once more when the test
    ends. The test fails with the rule, impact, target selectors and URL of each violation, and
    also when it showed a URL that was never checked. `axe.check(page)` checks a state
    explicitly (for instance one a test leaves without acting on the page again).
    """
    watch = AxeWatch(browser)
    patch_actions(monkeypatch, watch)
    request.node.stash[AXE_WATCH] = watch
    return watch


@pytest.fixture
def new_context(new_context, axe):
    """pytest-playwright's `new_context` (and so `context` and `page`), watched by `axe`."""

    def watched_context(**kwargs):
        context = new_context(**kwargs)
        axe.watch_context(context, javascript=kwargs.get("java_script_enabled", True))
        return context

    return watched_context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a browser test that passed its own assertions when axe found violations."""
    result = yield
    watch = item.stash.get(AXE_WATCH, None)
    if watch is not None:
        watch.finish()
        report = watch.report()
        if report:
            pytest.fail(report, pytrace=False)
    return result


@pytest.fixture
def screenshot_dir(pytestconfig) -> Path:
    """test-results/screenshots/ under the project root, for review (and the user guide).

    Not under pytest-playwright's --output folder, which each xdist worker empties at start.
    """
    directory = pytestconfig.rootpath / "test-results" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def log_in(live_server):
    """Log `user` in through the real login form."""

    def log_in(page: Page, user) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in


@pytest.fixture
def log_out(live_server):
    """Log out with the header's button (a POST form) and land on the login page."""

    def log_out(page: Page) -> None:
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(f"{live_server.url}/accounts/login/")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()

    return log_out


@pytest.fixture
def leads(other_counsellor):
    """Five unassigned new enquiries among rows a filter for them must hide."""
    for name in NEW_LEADS:
        CustomerFactory(name=name)
    for name in OTHERS_LEADS:
        CustomerFactory(name=name, assigned_to=other_counsellor)
    for name in LATER_LEADS:
        CustomerFactory(name=name, status=Customer.Status.INTERESTED)
    return NEW_LEADS


# ---------------------------------------------------------------------------------------------
# A real task worker (`manage.py db_worker`) in its own process, for tests that watch imports run.

WORKER_FIXTURE = "task_worker"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected what will not run
def pytest_collection_modifyitems(config, items):
    """Put SQLite's test database in a file when a worker process has to open it too.

    Django keeps SQLite test databases in memory, out of another process's reach. Only a session
    that runs a test using `task_worker` gets the file, on tmpfs when there is one (the suite
    runs as fast as in memory).
    """
    if not any(WORKER_FIXTURE in getattr(item, "fixturenames", ()) for item in items):
        return
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or database.get("TEST", {}).get("NAME"):
        return
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="cms-test-db-", dir=shm if shm.is_dir() else None))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


def database_url(settings_dict: dict) -> str:
    """DATABASE_URL for the test database this process is using (after its set-up)."""
    engine, name = settings_dict["ENGINE"], settings_dict["NAME"]
    if engine == "django.db.backends.sqlite3":
        if connection.is_in_memory_db():
            pytest.fail("SQLite's test database is in memory; a worker process cannot open it")
        return f"sqlite:///{name}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict["USER"] or "", safe="")
        password = quote(settings_dict["PASSWORD"] or "", safe="")
        credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
        port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
        return f"postgres://{credentials}{settings_dict['HOST']}{port}/{quote(name, safe='')}"
    pytest.fail(f"no DATABASE_URL for a worker on {engine}")


class TaskWorker:
    """`manage.py db_worker` on the test database, started when the test says so."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert self.process is None, "the worker is already running"
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        command += ["--interval", "0.2"]  # pick up the next upload quickly
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=django_settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # finishes the task in hand, then exits
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # Shown by pytest only when the test fails: what the worker did, or why it died.
        print(f"db_worker exited with {self.process.returncode}:\n{self.log.read_text()}")


@pytest.fixture
def task_worker(live_server, settings, tmp_path):
    """Queue tasks in the database, as in production, and run them in a real worker process.

    The test starts the worker with `task_worker.start()` when it is ready to watch; teardown
    stops it before the database is flushed. The worker reads the test database and this
    test's media folder from its environment, like a deployed worker.
    """
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "TASKS_BACKEND": DATABASE_BACKEND,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    worker = TaskWorker(env, tmp_path / "db_worker.log")
    yield worker
    worker.stop()
