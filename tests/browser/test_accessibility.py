"""Every main page, as a manager and as a counsellor, at desktop and phone widths, passes axe.

The `axe` fixture (tests/browser/conftest.py) checks each page before the next one is opened
and fails the test with every violation found; this module only has to visit the pages.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from customers.models import Customer
from imports.models import FileImport

from .screens import WIDTHS


def visit(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_be_visible()


@pytest.fixture
def finished_import(manager):
    return FileImport.objects.create(
        file_name="fair-leads.csv",
        file="imports/fair-leads.csv",
        sha256="b" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
        total_records=3,
        processed_rows=3,
        successful_records=2,
        created_records=2,
        failed_records=1,
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_managers_pages_pass_axe(
    width,
    new_context,
    live_server,
    log_in,
    axe,
    manager,
    counsellor,
    customer,
    leads,
    finished_import,
):
    page = new_context(**WIDTHS[width]).new_page()
    base = live_server.url
    visit(page, f"{base}{reverse('accounts:login')}")
    log_in(page, manager)
    admission = Customer.objects.get(name=leads[0])
    admission.change_status(Customer.Status.ADMISSION, by=manager)
    pages = [
        reverse("dashboard:index"),
        reverse("customers:list"),
        reverse("customers:list") + "?status=NEW&assigned_to=none&sort=name",
        reverse("customers:list") + f"?assigned_to={counsellor.pk}&follow_up=overdue",
        reverse("customers:detail", args=[customer.pk]),
        reverse("customers:detail", args=[admission.pk]),
        reverse("customers:edit", args=[customer.pk]),
        reverse("customers:create"),
        reverse("imports:list"),
        reverse("imports:create"),
        reverse("imports:detail", args=[finished_import.pk]),
        reverse("team:list"),
        reverse("team:create"),
        reverse("team:edit", args=[counsellor.pk]),
        reverse("team:set_password", args=[counsellor.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("customers:reassign_all"),
        reverse("customers:reassign_all") + f"?from={counsellor.pk}",
        "/no-such-page/",
    ]
    for path in pages:
        visit(page, f"{base}{path}")

    # The distribute preview is reached from the list: tick customers, press Distribute.
    visit(page, f"{base}{reverse('customers:list')}?status=NEW&assigned_to=none")
    if width == "phone":  # checkboxes show once the phone's list is in selecting mode
        page.get_by_role("link", name="Select").click()
    for name in leads[1:3]:
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_role("button", name="Distribute…").click()
    expect(page).to_have_url(f"{base}{reverse('customers:distribute')}")
    axe.check(page)
    assert axe.checks >= len(pages)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_counsellors_pages_pass_axe(
    width, new_context, live_server, log_in, axe, counsellor, customer
):
    page = new_context(**WIDTHS[width]).new_page()
    base = live_server.url
    log_in(page, counsellor)
    for path in [
        reverse("dashboard:index"),
        reverse("customers:list"),
        reverse("customers:list") + "?status=NEW",
        reverse("customers:detail", args=[customer.pk]),
        reverse("customers:edit", args=[customer.pk]),
        reverse("customers:create"),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        "/no-such-page/",
    ]:
        visit(page, f"{base}{path}")


@pytest.mark.browser
def test_the_check_sees_a_violation(page: Page, live_server, axe, db):
    """A check of the check: grey-on-white text added to the login page is reported."""
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Faint';"
        " p.style.color = '#cbd5e1'; document.querySelector('main').append(p); }"
    )

    axe.check(page)

    rules = {finding.rule for finding in axe.findings.values()}
    assert "color-contrast" in rules, axe.report()
    assert "color-contrast" in axe.report()
    axe.findings.clear()  # seen; the test itself must not fail on it
