"""Both dashboards in a real browser: a counsellor works through My day, a manager follows a
number to its customers, and screenshots of both at desktop and phone widths for review."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer, CustomerNote, CustomerStatusHistory
from imports.models import FileImport

from .screens import assert_no_sideways_scroll
from .test_screenshots import WIDTHS

S = Customer.Status
NOTE = "Father will decide after the campus visit; call on Saturday."
# (name, area, status, follow-up in days from today or None, days since the enquiry)
ARJUNS = [
    ("Anjali Menon", "Kochi", S.FOLLOW_UP, -3, 21),
    ("Rahul Varma", "Thrissur", S.CALL_NOT_ATTENDED, -1, 12),
    ("Fathima Beevi", "Kozhikode", S.INTERESTED, 0, 9),
    ("Karthik Nair", "Kochi", S.PLAN_PRESENTED, 0, 15),
    ("Sneha Pillai", "Aluva", S.NEW, None, 0),
    ("Vishnu Prasad", "Kottayam", S.NEW, None, 1),
    ("Divya Thomas", "Ernakulam", S.SHORTLISTED, 6, 30),
    ("Arun Kumar", "Palakkad", S.ADMISSION, None, 40),
    ("Meghna Iyer", "Kochi", S.VALID, 2, 5),
    ("Joel Mathew", "Thrissur", S.NOT_INTERESTED, None, 25),
]
MEERAS = [
    ("Gokul Krishnan", "Kannur", S.FOLLOW_UP, -2, 18),
    ("Lakshmi Das", "Kollam", S.CAMPUS_VISIT, 3, 35),
    ("Nikhil Joseph", "Kochi", S.REGISTRATION, None, 50),
    ("Pooja Reddy", "Bengaluru", S.ADMISSION, None, 28),
    ("Sanjana Patel", "Coimbatore", S.NEW, None, 2),
    ("Tanvi Rao", "Mangaluru", S.INTERESTED, 1, 14),
]
UNASSIGNED = [
    ("Abdul Rahman", "Malappuram", S.NEW, None, 0),
    ("Harini Krishnan", "Chennai", S.NEW, None, 0),
    ("Zoya Khan", "Kochi", S.INVALID, None, 3),
]
# The path each status took to get there, for the history behind the funnel.
PATHS = {
    S.VALID: [S.VALID],
    S.CALL_NOT_ATTENDED: [S.CALL_NOT_ATTENDED],
    S.PLAN_PRESENTED: [S.VALID, S.PLAN_PRESENTED],
    S.INTERESTED: [S.VALID, S.PLAN_PRESENTED, S.INTERESTED],
    S.FOLLOW_UP: [S.VALID, S.PLAN_PRESENTED, S.FOLLOW_UP],
    S.NOT_INTERESTED: [S.VALID, S.NOT_INTERESTED],
    S.SHORTLISTED: [S.VALID, S.INTERESTED, S.SHORTLISTED],
    S.CAMPUS_VISIT: [S.VALID, S.INTERESTED, S.SHORTLISTED, S.CAMPUS_VISIT],
    S.REGISTRATION: [S.VALID, S.INTERESTED, S.CAMPUS_VISIT, S.REGISTRATION],
    S.ADMISSION: [S.VALID, S.INTERESTED, S.CAMPUS_VISIT, S.REGISTRATION, S.ADMISSION],
    S.INVALID: [S.INVALID],
}


def moment(days_ago: int, hour: int) -> datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour)))


def add(rows, owner, manager):
    today = timezone.localdate()
    for name, area, status, follow_up, age in rows:
        customer = CustomerFactory(
            name=name,
            area=area,
            status=status,
            assigned_to=owner,
            date=today - timedelta(days=age),
            follow_up_on=None if follow_up is None else today + timedelta(days=follow_up),
        )
        Customer.objects.filter(pk=customer.pk).update(created_at=moment(age, 10))
        path = PATHS.get(status, [])
        for step, (previous, new) in enumerate(zip([S.NEW, *path], path, strict=False)):
            days_ago = max(age - 2 * (step + 1), 0)
            history = CustomerStatusHistory.objects.create(
                customer=customer,
                previous_status=previous,
                new_status=new,
                changed_by=owner or manager,
                changed_at=moment(days_ago, 11 + step),
            )
            if step == len(path) - 1 and owner:
                CustomerNote.objects.create(
                    customer=customer,
                    author=owner,
                    body=f"Spoke to {name.split()[0]}; wants the hostel and fee details.",
                    created_at=history.changed_at,
                    status_change=history,
                )


@pytest.fixture
def team_book(manager, counsellor, other_counsellor):
    """A week's work for two counsellors (and a third with nothing yet), plus an import."""
    CounsellorFactory(username="sara", first_name="Sara", last_name="George")
    add(ARJUNS, counsellor, manager)
    add(MEERAS, other_counsellor, manager)
    add(UNASSIGNED, None, manager)
    FileImport.objects.create(
        file_name="kochi-education-fair-leads.xlsx",
        file="imports/kochi-education-fair-leads.xlsx",
        sha256="a" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
        total_records=1250,
        processed_rows=1250,
        successful_records=1238,
        created_records=1104,
        updated_records=120,
        unchanged_records=14,
        failed_records=12,
    )


def overdue_names(page: Page):
    return page.locator('[data-queue="overdue"] [data-queue-item] a[href^="/customers/"]')


@pytest.mark.browser
def test_counsellor_clears_an_overdue_follow_up_from_my_day(
    page: Page, log_in, live_server, counsellor, team_book
):
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, counsellor)

    # Logging in lands on My day, the oldest overdue follow-up first.
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    expect(overdue_names(page)).to_have_text(["Anjali Menon", "Rahul Varma"])
    expect(page.locator('[data-stat="overdue"]')).to_have_attribute("data-count", "2")
    expect(page.get_by_role("link", name="Call Anjali Menon")).to_have_attribute(
        "href", re.compile(r"^tel:\+91")
    )

    page.locator('[data-queue="overdue"]').get_by_role(
        "link", name="Anjali Menon", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Anjali Menon")).to_be_visible()
    next_call = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Status after the call").select_option(label="Follow Up")
    page.get_by_label("Note").fill(NOTE)
    page.get_by_label("Next follow-up").fill(f"{next_call:%d/%m/%Y}")
    page.get_by_label("at (optional)").fill("17:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved: “Follow Up”.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(overdue_names(page)).to_have_text(["Rahul Varma"])
    expect(page.locator('[data-stat="overdue"]')).to_have_attribute("data-count", "1")
    # What they did is the first thing under their recent activity.
    expect(page.get_by_test_id("activity").get_by_role("listitem").first).to_contain_text(
        "Anjali Menon"
    )
    anjali = Customer.objects.get(name="Anjali Menon")
    assert (anjali.follow_up_on, anjali.follow_up_time) == (next_call, time(17, 30))
    assert errors == []


@pytest.mark.browser
def test_manager_follows_a_counsellors_overdue_count_to_those_customers(
    page: Page, log_in, live_server, manager, counsellor, team_book
):
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, manager)

    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()
    row = page.locator(f'[data-counsellor="{counsellor.username}"]')
    overdue = row.locator(f'[data-stat="{counsellor.pk}_overdue"]')
    expect(overdue).to_have_text("2")
    overdue.click()

    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {
        "assigned_to": [str(counsellor.pk)],
        "follow_up": ["overdue"],
        "sort": ["follow_up"],
    }
    rows = page.locator("[data-customer-row]")
    expect(rows.get_by_role("link")).to_have_text(["Anjali Menon", "Rahul Varma"])
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("persona", ["manager", "counsellor"])
def test_dashboard_screenshots(
    request, new_context, live_server, log_in, team_book, screenshot_dir, width, persona
):
    page = new_context(**WIDTHS[width]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    log_in(page, request.getfixturevalue(persona))

    page.goto(f"{live_server.url}/dashboard/")
    # The script has drawn every chart and folded its table away.
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-chart-ready", "true")
    for chart in charts.all():
        expect(chart).to_have_attribute("data-chart-ready", "true")
        expect(chart.locator("canvas")).to_be_visible()
        expect(chart.locator("details")).not_to_have_attribute("open", "")
    page.screenshot(path=screenshot_dir / f"dashboard-{persona}-{width}.png", full_page=True)
    assert_no_sideways_scroll(page)
    assert errors == []


@pytest.mark.browser
def test_without_javascript_the_charts_are_tables(
    new_context, live_server, log_in, manager, team_book
):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, manager)

    page.goto(f"{live_server.url}/dashboard/")

    status_chart = page.locator('[data-chart="status-chart-data"]')
    expect(status_chart.locator("canvas")).to_be_hidden()
    table = status_chart.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^Admission"))).to_contain_text("2")
