"""The customer list's own forms and links used as a person uses them, without JavaScript:
the filter form, the sort control in it, and "Select" (a phone's way to the bulk actions).

Each test takes the form or link from the rendered page, changes only what a person changes
and submits it with CSRF on (django-webtest).
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from customers.factories import CustomerFactory
from customers.models import Customer, CustomerAssignmentHistory
from customers.tests.pages import press

S = Customer.Status


def names(page) -> list[str]:
    return [customer.name for customer in page.context["page"].object_list]


def query_of(page) -> dict:
    return parse_qs(urlsplit(page.request.url).query)


@pytest.fixture
def kochi_and_thrissur():
    """Leads in two areas and statuses, added in an order that is not alphabetical."""
    return [
        CustomerFactory(name=name, area=area, status=status)
        for name, area, status in [
            ("Meera Kochi", "Kochi", S.NEW),
            ("Arun Kochi", "Kochi", S.NEW),
            ("Zoya Kochi", "Kochi", S.VALID),
            ("Bala Thrissur", "Thrissur", S.NEW),
        ]
    ]


def test_the_filter_form_filters_and_keeps_what_was_chosen(app, manager, kochi_and_thrissur):
    filters = app.get("/customers/", user=manager).forms["filters"]
    filters["q"] = "Kochi"
    filters["status"] = "NEW"

    page = filters.submit()

    assert names(page) == ["Arun Kochi", "Meera Kochi"]
    again = page.forms["filters"]
    assert (again["q"].value, again["status"].value) == ("Kochi", "NEW")
    assert "2 customers" in page.text


def test_the_sort_control_sorts_and_filtering_again_keeps_the_sort(
    app, manager, kochi_and_thrissur
):
    filters = app.get("/customers/", user=manager).forms["filters"]
    assert filters["sort"].value == ""  # newest first, the default
    filters["sort"] = "name"

    page = filters.submit()

    assert names(page) == ["Arun Kochi", "Bala Thrissur", "Meera Kochi", "Zoya Kochi"]
    refilter = page.forms["filters"]
    assert refilter["sort"].value == "name"
    refilter["q"] = "Kochi"
    assert names(refilter.submit()) == ["Arun Kochi", "Meera Kochi", "Zoya Kochi"]


def test_a_sort_from_a_column_heading_survives_the_filter_form(app, manager, kochi_and_thrissur):
    """The heading sorts the control does not list (phone number) are kept, not dropped."""
    page = app.get("/customers/", user=manager).click(href=r"sort=phone$")

    filters = page.forms["filters"]
    assert filters["sort"].value == "phone"
    filters["status"] = "NEW"
    assert query_of(filters.submit())["sort"] == ["phone"]


def test_select_then_tick_two_and_assign_them(app, manager, counsellor, kochi_and_thrissur):
    listed = app.get("/customers/?q=Kochi", user=manager)

    selecting = listed.click(description="Select")

    assert query_of(selecting) == {"q": ["Kochi"], "select": ["1"]}
    assert "Done" in selecting.text
    bulk = selecting.forms["bulk-form"]
    chosen = {str(c.pk) for c in kochi_and_thrissur if c.name in ("Arun Kochi", "Zoya Kochi")}
    for box in bulk.fields["customer_ids"]:
        box.checked = box._value in chosen
    bulk["assigned_to"] = str(counsellor.pk)

    after = press(bulk, "Assign").follow()

    assigned = Customer.objects.filter(assigned_to=counsellor)
    assert {str(pk) for pk in assigned.values_list("pk", flat=True)} == chosen
    assert CustomerAssignmentHistory.objects.count() == 2
    # Back to the list as it was filtered, out of select mode.
    assert query_of(after) == {"q": ["Kochi"]}
    assert after.html.find(attrs={"data-testid": "select-toggle"}).text == "Select"


def test_nothing_to_act_on_when_nothing_matches(app, manager, kochi_and_thrissur):
    filters = app.get("/customers/", user=manager).forms["filters"]
    filters["q"] = "Nowhere"

    page = filters.submit()

    assert "No customers match." in page.text
    assert 'data-testid="bulk-actions"' not in page.text
    assert 'name="customer_ids"' not in page.text
    assert ">Select<" not in page.text


def test_an_htmx_answer_carries_the_sort_control_out_of_band(manager_client, kochi_and_thrissur):
    """A column heading swaps only the results; the filter form's sort control comes along, so
    the next filtering sends the heading's sort, not the one the page was loaded with."""
    response = manager_client.get("/customers/", {"sort": "-area"}, headers={"HX-Request": "true"})

    control = BeautifulSoup(response.content, "html.parser").find(id="sort-control")
    assert control["data-hx-swap-oob"] == "true"
    assert control.find("option", selected=True)["value"] == "-area"
