"""The manager dashboard's numbers, against the hand-built book in conftest.py."""

import json

import pytest

from accounts.models import User

from .conftest import day, expected_numbers, numbers

pytestmark = pytest.mark.django_db


def period_params(start, end):
    return {"start": day(start).isoformat(), "end": day(end).isoformat()}


def test_numbers_for_the_last_30_days(manager_client, manager_expected):
    response = manager_client.get("/dashboard/")

    assert response.templates[0].name == "dashboard/manager.html"
    assert numbers(response) == expected_numbers(response, manager_expected)
    assert set(manager_expected) <= set(numbers(response))


def test_numbers_for_a_chosen_period(manager_client, custom_period_expected):
    response = manager_client.get("/dashboard/", period_params(50, 30))

    assert numbers(response) == expected_numbers(response, custom_period_expected)
    assert set(custom_period_expected) <= set(numbers(response))
    assert (response.context["period"].since, response.context["period"].until) == (
        day(50),
        day(30),
    )


def test_conversion_rates(manager_client, book):
    response = manager_client.get("/dashboard/")

    assert response.context["conversion"] == 26.7  # 4 of 15 ever reached Admission
    conversions = {
        row["counsellor"].username: row["conversion"] for row in response.context["performance"]
    }
    assert conversions == {"arjun": 16.7, "meera": 40.0, "ravi": 0.0, "neha": None}


def test_performance_lists_active_counsellors_and_former_ones_with_customers(manager_client, book):
    response = manager_client.get("/dashboard/")

    rows = response.context["performance"]
    assert [row["counsellor"].username for row in rows] == ["arjun", "meera", "neha", "ravi"]
    assert "inactive" in response.content.decode()
    assert not User.objects.get(username="ravi").is_active


@pytest.mark.parametrize(
    "sort, order",
    [
        ("name", ["arjun", "meera", "neha", "ravi"]),
        ("-name", ["ravi", "neha", "meera", "arjun"]),
        ("-assigned", ["arjun", "meera", "ravi", "neha"]),
        ("assigned", ["neha", "ravi", "meera", "arjun"]),
        ("-moved", ["arjun", "meera", "neha", "ravi"]),
        ("-overdue", ["arjun", "ravi", "meera", "neha"]),
        ("-admitted", ["meera", "arjun", "neha", "ravi"]),
        # No customers, no conversion rate: last either way.
        ("-conversion", ["meera", "arjun", "ravi", "neha"]),
        ("conversion", ["ravi", "arjun", "meera", "neha"]),
        ("nonsense", ["arjun", "meera", "neha", "ravi"]),
    ],
)
def test_performance_table_sorts_on_the_server(manager_client, book, sort, order):
    response = manager_client.get("/dashboard/", {"sort": sort})

    assert [row["counsellor"].username for row in response.context["performance"]] == order


def test_sort_headings_keep_the_period_and_toggle_direction(manager_client, book):
    response = manager_client.get("/dashboard/", {"days": 7, "sort": "-assigned"})

    columns = {column["label"]: column for column in response.context["columns"]}
    assert columns["Assigned"] == {
        "label": "Assigned",
        "url": "?days=7&sort=assigned",
        "direction": "descending",
    }
    assert columns["Overdue"]["url"] == "?days=7&sort=-overdue"
    assert columns["Counsellor"]["url"] == "?days=7"
    assert 'aria-sort="descending"' in response.content.decode()


def test_period_links_keep_the_sort(manager_client, book):
    response = manager_client.get("/dashboard/", {"sort": "-overdue"})

    presets = response.context["presets"]
    assert [(p["label"], p["url"], p["current"]) for p in presets] == [
        ("7 days", "?days=7&sort=-overdue", False),
        ("30 days", "?days=30&sort=-overdue", True),
        ("90 days", "?days=90&sort=-overdue", False),
    ]


@pytest.mark.parametrize("days", [7, 30, 90])
def test_preset_periods_end_today(manager_client, days):
    response = manager_client.get("/dashboard/", {"days": days})

    period = response.context["period"]
    assert (period.since, period.until, period.length) == (day(days - 1), day(0), days)
    assert len(response.context["daily_chart"].labels) == days


def test_a_bad_period_is_explained_and_the_default_shown(manager_client):
    response = manager_client.get("/dashboard/", period_params(3, 10))

    assert "The period has to start before it ends." in response.content.decode()
    period = response.context["period"]
    assert (period.since, period.until) == (day(29), day(0))


def test_empty_database_shows_zeros_everywhere(manager_client):
    response = manager_client.get("/dashboard/")

    counts = numbers(response)
    assert counts and set(counts.values()) == {0}
    assert response.context["conversion"] is None
    page = response.content.decode()
    assert "No counsellors yet." in page
    assert "No imports yet." in page


def test_empty_period_shows_zeros_for_the_period(manager_client, book):
    response = manager_client.get("/dashboard/", period_params(400, 380))

    counts = numbers(response)
    period_keys = [key for key in counts if key.startswith(("new_2", "admissions_2"))]
    assert len(period_keys) == 2 * 21
    assert {counts[key] for key in period_keys} == {0}
    assert counts["new_in_period"] == counts["admissions_in_period"] == 0
    assert {counts[f"{user.pk}_moved"] for user in (book.arjun, book.meera)} == {0}
    # Numbers that do not depend on the period stay.
    assert counts["customers"] == 15


def test_daily_chart_data_is_handed_to_the_script_as_json(manager_client, book):
    response = manager_client.get("/dashboard/", {"days": 7})

    chart = response.context["daily_chart"]
    script = f'<script id="{chart.data_id}" type="application/json">'
    page = response.content.decode()
    data = json.loads(page.split(script)[1].split("</script>")[0])
    assert data["kind"] == "line"
    assert [series["label"] for series in data["series"]] == [
        "Customers added",
        "Admissions recorded",
    ]
    assert data["series"][0]["data"] == [0, 0, 0, 0, 0, 0, 2]  # Asha and Kiran, today
    assert data["series"][1]["data"] == [0, 0, 0, 0, 0, 0, 1]  # Esha, today
    assert len(data["series"][0]["links"]) == 7


def test_status_chart_has_a_table_fallback_and_no_inline_script(manager_client, book):
    response = manager_client.get("/dashboard/")

    page = response.content.decode()
    assert "Show as table" in page
    assert page.count("<script") == page.count("<script src=") + page.count(
        'type="application/json"'
    )


def test_recent_imports_with_their_counts(manager_client, manager):
    from imports.models import FileImport

    for n in range(7):
        FileImport.objects.create(
            file_name=f"leads-{n}.csv",
            file=f"imports/leads-{n}.csv",
            sha256=f"{n:064d}",
            imported_by=manager,
            status=FileImport.Status.DONE,
            total_records=1200,
            processed_rows=1200,
            successful_records=1150,
            created_records=1000,
            updated_records=150,
            failed_records=50,
        )

    response = manager_client.get("/dashboard/")

    assert len(response.context["imports"]) == 5
    page = response.content.decode()
    assert "leads-6.csv" in page and "leads-1.csv" not in page
    assert "1,200 rows · 1,000 new · 150 updated" in " ".join(page.split())
    assert "50 failed" in page
