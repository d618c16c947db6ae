"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.factories import PASSWORD
from config.settings import env_bool
from customers.factories import CustomerFactory
from customers.models import Customer

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


@pytest.fixture
def screenshot_dir(pytestconfig) -> Path:
    """test-results/screenshots/ under the project root (or under --output), for review."""
    output = Path(pytestconfig.getoption("--output"))
    if not output.is_absolute():
        output = pytestconfig.rootpath / output
    directory = output / "screenshots"
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
