"""The manager dashboard's admission figures count different things, so each is named for what
it counts, and the counsellors' table shows one of them, which adds up with the funnel's."""

import re

import pytest

from customers.models import Customer

from .conftest import counting_links, listed_names, numbers

pytestmark = pytest.mark.django_db

S = Customer.Status


def labels(response) -> dict[str, str]:
    """{key: label} of every number the view hands the manager's page."""
    context = response.context
    stats = [
        *context["totals"],
        *context["period_totals"],
        *(stage["stat"] for stage in context["funnel"]),
        *(stat for row in context["performance"] for stat in row["stats"]),
        *(stat for series in context["status_chart"].series for stat in series.stats),
    ]
    return {stat.key: stat.label for stat in stats}


def test_each_admission_figure_is_named_for_what_it_counts(manager_client, book):
    response = manager_client.get("/dashboard/")

    named = labels(response)
    arjun = book.arjun.pk
    assert named["admissions_this_month"] == "Admissions recorded this month"
    assert named["admissions_in_period"] == "Admissions recorded"
    assert named[f"status_{S.ADMISSION}"] == "In Admission now"
    assert named[f"funnel_{S.ADMISSION}"] == "Reached Admission (ever)"
    assert named[f"{arjun}_admitted"] == "Reached Admission"
    # No number is called just "Admissions" or "Admitted" any more.
    assert not {"Admissions", "Admitted"} & set(named.values())
    page = response.content.decode()
    assert "Admissions recorded this month" in page
    assert 'title="In Admission now: show these customers"' in page
    assert 'title="Reached Admission (ever): show these customers"' in page


def test_the_same_customers_under_different_admission_figures(manager_client, book):
    """Esha was admitted today; Hari 45 days ago; Indu was admitted and corrected back to
    Registration; Omar was imported as admitted, with no history and no counsellor."""
    counts = numbers(manager_client.get("/dashboard/"))

    assert counts["admissions_this_month"] == 1  # Esha
    assert counts["admissions_in_period"] == 1  # Esha
    assert counts[f"status_{S.ADMISSION}"] == 3  # Esha Hari Omar
    assert counts[f"funnel_{S.ADMISSION}"] == 4  # Esha Hari Indu Omar


def test_a_counsellor_row_has_one_admission_figure(manager_client, book):
    response = manager_client.get("/dashboard/")

    page = response.content.decode()
    for row in response.context["performance"]:
        pk = row["counsellor"].pk
        keys = [stat.key for stat in row["stats"]]
        assert [key for key in keys if "admi" in key] == [f"{pk}_admitted"]
        # The row's markup links no other admission count.
        markup = page.split(f'data-counsellor="{row["counsellor"].username}"')[1].split("</tr>")[0]
        assert re.findall(r'data-stat="[^"]*admi[^"]*"', markup) == [f'data-stat="{pk}_admitted"']
    assert " admitted</span>" not in page
    headings = [column["label"] for column in response.context["columns"]]
    assert headings == [
        "Counsellor",
        "Assigned",
        "Contacted",
        "Moved in period",
        "Overdue",
        "Reached Admission",
        "Conversion",
    ]


def test_conversion_is_the_rows_admission_figure_over_its_assigned(manager_client, book):
    response = manager_client.get("/dashboard/")

    for row in response.context["performance"]:
        figures = {stat.label: stat.count for stat in row["stats"]}
        assigned, admitted = figures["Assigned"], figures["Reached Admission"]
        expected = round(100 * admitted / assigned, 1) if assigned else None
        assert row["conversion"] == expected, row["counsellor"].username


def test_the_counsellors_admission_column_adds_up_to_the_funnels(manager_client, book):
    """Every customer has one counsellor or none, so the column and the unassigned customers
    who reached Admission are exactly the funnel's Admission."""
    response = manager_client.get("/dashboard/")

    links = counting_links(response)
    column = [stat for row in response.context["performance"] for stat in row["stats"]]
    per_counsellor = [stat for stat in column if stat.key.endswith("_admitted")]
    unassigned = listed_names(
        manager_client, f"/customers/?assigned_to=none&ever_reached={S.ADMISSION}"
    )
    everyone = listed_names(manager_client, links.urls[f"funnel_{S.ADMISSION}"])
    by_counsellor = set().union(*(listed_names(manager_client, s.url) for s in per_counsellor))
    assert unassigned == {"Omar"}
    assert by_counsellor | unassigned == everyone
    assert sum(stat.count for stat in per_counsellor) + len(unassigned) == len(everyone)
