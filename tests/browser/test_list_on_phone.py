"""The customer list at 390x844 (a phone) and 1366x768 (a laptop): customers on the first
screen, sorting from the sort control, bulk actions behind "Select", touch targets of 44 px,
nothing scrolling sideways, and the counsellor's list with what is due first.

Screenshots land in test-results/screenshots/ as customer-list-phone.png and
customer-list-desktop.png (the user guide shows them). axe-core checks every page and state
these tests show (the `axe` fixture, through `new_context`).
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from customers.factories import CustomerFactory
from customers.models import Customer

from .screens import PHONE, WIDTHS, assert_no_sideways_scroll, htmx_ready
from .test_screenshots import AREAS, NAMES

S = Customer.Status
TOUCH = 44  # px: the smallest comfortable target for a finger


@pytest.fixture
def book(counsellor, other_counsellor):
    """Customers over more than one page, in every status, some unassigned."""
    statuses = list(S)
    return [
        CustomerFactory(
            name=name,
            area=AREAS[index % len(AREAS)],
            status=statuses[index % len(statuses)],
            assigned_to=[None, counsellor, other_counsellor][index % 3],
        )
        for index, name in enumerate(NAMES)
    ]


@pytest.fixture
def superuser_manager(manager):
    """The manager who also runs the admin: the widest top navigation there is."""
    manager.is_superuser = True
    manager.save(update_fields=["is_superuser"])
    return manager


@pytest.fixture
def counsellors_day(manager, counsellor):
    """A counsellor's customers, each due at a different time, added in the opposite order."""
    today = timezone.localdate()
    due = {
        "Nobody Planned": None,
        "Next Week": today + timedelta(days=7),
        "Today Later": today,
        "Two Days Late": today - timedelta(days=2),
    }
    for name, day in due.items():
        customer = CustomerFactory(name=name, assigned_to=counsellor, follow_up_on=day)
        customer.add_note(f"Spoke to {name.split()[0]}'s mother.", by=counsellor)
    return ["Two Days Late", "Today Later", "Next Week", "Nobody Planned"]


def rows(page: Page) -> Locator:
    return page.locator("[data-customer-row]")


def first_row_top(page: Page) -> float:
    return rows(page).first.bounding_box()["y"]


def assert_nothing_scrolls_sideways(page: Page) -> None:
    """Neither the page nor the top navigation ("Admin" was once clipped on a phone)."""
    assert_no_sideways_scroll(page)
    nav_overflow = page.evaluate(
        "(() => { const nav = document.querySelector('nav[aria-label=Main]');"
        " return nav.scrollWidth - nav.clientWidth; })()"
    )
    assert nav_overflow <= 0, f"the top navigation scrolls {nav_overflow}px sideways"


def assert_touch_targets(locator: Locator, *, square=False) -> None:
    """Every visible element of `locator` is at least 44 px tall (and wide, when `square`)."""
    count = locator.count()
    assert count, "nothing to measure"
    for n in range(count):
        box = locator.nth(n).bounding_box()
        assert box, f"{locator.nth(n)} is not shown"
        assert box["height"] >= TOUCH, (locator.nth(n).inner_text(), box)
        if square:
            assert box["width"] >= TOUCH, box


def hit_area(checkbox: Locator) -> Locator:
    """The label around a row's checkbox: what a finger has to hit."""
    return checkbox.locator("xpath=ancestor::label[1]")


def query_of(page: Page) -> dict:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_customers_are_on_the_first_screen_and_nothing_scrolls_sideways(
    width, new_context, live_server, log_in, superuser_manager, book, screenshot_dir
):
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, superuser_manager)
    page.goto(f"{live_server.url}/customers/")
    expect(rows(page)).to_have_count(25)
    newest = rows(page).first.get_by_test_id("customer-name").inner_text()

    # The first customer starts on the first screen: well above the fold on a phone.
    assert first_row_top(page) < (400 if width == "phone" else 500), first_row_top(page)
    assert_nothing_scrolls_sideways(page)
    pages = page.get_by_role("navigation", name="Pagination")
    expect(pages).to_contain_text("Page 1 of 2 · 29 customers")
    expect(pages.get_by_role("link", name="Page 2")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"customer-list-{width}.png", full_page=True)

    nav = page.get_by_role("navigation", name="Main")
    if width == "phone":
        # Rows, their links and the pager are big enough for a thumb.
        assert_touch_targets(rows(page).get_by_role("link"))
        assert_touch_targets(pages.get_by_role("link"))
        assert_touch_targets(page.get_by_role("link", name="Select"))
        # The checkboxes and bulk bar wait behind "Select".
        expect(page.get_by_label(f"Select {newest}", exact=True)).to_be_hidden()
        expect(page.get_by_test_id("bulk-actions")).to_be_hidden()
        # Every link of the top navigation is reachable, Admin included, from the menu.
        nav.get_by_text("Menu").click()
        expect(nav.get_by_role("link", name="Admin")).to_be_visible()
        assert_touch_targets(nav.get_by_role("link"))
        assert_touch_targets(nav.get_by_role("button", name="Log out"))
        assert_nothing_scrolls_sideways(page)
    else:
        # A wide screen keeps the table: column headings that sort, the bulk bar on show.
        expect(page.get_by_role("columnheader", name="Name")).to_be_visible()
        expect(page.get_by_test_id("bulk-actions")).to_be_visible()
        expect(page.get_by_label(f"Select {newest}", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Select")).to_be_hidden()
        expect(nav.get_by_role("link", name="Admin")).to_be_visible()
    nav.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/"))
    assert_nothing_scrolls_sideways(page)


@pytest.mark.browser
def test_a_phone_sorts_with_the_sort_control_with_reload_and_back(
    new_context, live_server, log_in, manager, book
):
    page = new_context(**PHONE).new_page()
    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/")
    htmx_ready(page)
    newest_first = rows(page).get_by_test_id("customer-name").all_inner_texts()

    page.get_by_label("Sort by").select_option(label="Name, A to Z")
    expect(rows(page).first).to_contain_text("Abdul Rahman")
    assert query_of(page)["sort"] == ["name"]
    names = rows(page).get_by_test_id("customer-name").all_inner_texts()
    assert names == sorted(NAMES)[:25]

    page.reload()
    expect(page.get_by_label("Sort by")).to_have_value("name")
    assert rows(page).get_by_test_id("customer-name").all_inner_texts() == names

    htmx_ready(page)
    page.get_by_label("Sort by").select_option(label="Name, Z to A")
    expect(rows(page).first).to_contain_text("Zoya Khan")
    page.go_back()
    expect(rows(page).first).to_contain_text("Abdul Rahman")
    page.go_back()
    expect(rows(page).first).to_contain_text(newest_first[0])

    # Filtering afterwards keeps the sort the control shows.
    htmx_ready(page)
    page.get_by_label("Sort by").select_option(label="Name, A to Z")
    expect(rows(page).first).to_contain_text("Abdul Rahman")
    htmx_ready(page)
    page.get_by_label("Follow-up", exact=True).select_option(label="None planned")
    expect(page).to_have_url(re.compile(r"follow_up=none"))
    assert query_of(page)["sort"] == ["name"]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_select_two_customers_and_assign_them_with_reload_and_back(
    width, new_context, live_server, log_in, manager, counsellor, book
):
    page = new_context(**WIDTHS[width]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, manager)
    page.goto(f"{live_server.url}/customers/?assigned_to=none")
    chosen = rows(page).get_by_test_id("customer-name").all_inner_texts()[:2]
    box = page.get_by_label(f"Select {chosen[0]}", exact=True)
    bulk = page.get_by_test_id("bulk-actions")

    if width == "phone":
        expect(box).to_be_hidden()
        page.get_by_role("link", name="Select").click()
        expect(box).to_be_visible()
        assert query_of(page) == {"assigned_to": ["none"], "select": ["1"]}
        page.reload()  # still selecting
        expect(box).to_be_visible()
        assert_touch_targets(hit_area(box), square=True)
        assert_touch_targets(bulk.locator("select, button, input[type=date], input[type=text]"))
        page.go_back()  # the list as it was, checkboxes away
        expect(box).to_be_hidden()
        page.go_forward()
        expect(box).to_be_visible()
    else:
        page.reload()
        page.goto(f"{live_server.url}/customers/")
        page.go_back()
        expect(box).to_be_visible()

    htmx_ready(page)
    for name in chosen:
        page.get_by_label(f"Select {name}", exact=True).check()
    bulk.get_by_label("Assign selected to").select_option(label=counsellor.choice_label)
    bulk.get_by_role("button", name="Assign", exact=True).click()

    expect(page.get_by_role("status")).to_have_text(
        f"2 customers assigned to {counsellor.display_name}."
    )
    expect(rows(page).filter(has_text=chosen[0])).to_have_count(0)
    assigned = Customer.objects.filter(name__in=chosen, assigned_to=counsellor)
    assert assigned.count() == 2
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_counsellors_list_puts_what_is_due_first_with_notes_and_call_buttons(
    width, new_context, live_server, log_in, counsellor, counsellors_day, screenshot_dir
):
    page = new_context(**WIDTHS[width]).new_page()
    log_in(page, counsellor)
    page.goto(f"{live_server.url}/customers/")

    expect(rows(page).get_by_test_id("customer-name")).to_have_text(counsellors_day)
    first = rows(page).first
    expect(first.get_by_test_id("next-follow-up")).to_contain_text("overdue")
    expect(first.get_by_test_id("last-note")).to_contain_text("Spoke to Two's mother.")
    expect(first.get_by_role("link", name="Call Two Days Late")).to_have_attribute(
        "href", re.compile(r"^tel:\+91")
    )
    assert_nothing_scrolls_sideways(page)
    if width == "phone":
        assert first_row_top(page) < 400
        assert_touch_targets(rows(page).get_by_role("link"))
    page.screenshot(path=screenshot_dir / f"customer-list-counsellor-{width}.png", full_page=True)
