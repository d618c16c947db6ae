"""The customer list's pages at scale: the count comes from the kept counts when the filter
allows, otherwise it is bounded, and pages stop at the bound (customers/pagination.py)."""

import pytest
from bs4 import BeautifulSoup

from customers.factories import CustomerFactory
from customers.models import Customer

S = Customer.Status
URL = "/customers/"


@pytest.fixture
def small_bound(settings):
    settings.CUSTOMERS_COUNT_LIMIT = 5
    settings.CUSTOMERS_PER_PAGE = 2


def test_unfiltered_list_shows_the_exact_total_and_pages_stop_at_the_bound(
    manager_client, small_bound
):
    CustomerFactory.create_batch(8, name="Lead")

    response = manager_client.get(URL, {"page": 4})

    page = response.context["page"]
    assert (page.paginator.count_label, page.paginator.more) == ("8", True)
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (3, 3, 1)
    assert b"8 customers" in response.content
    assert b"The pages show the first 5" in response.content


def test_status_and_counsellor_filters_are_counted_exactly(manager_client, counsellor, small_bound):
    CustomerFactory.create_batch(7, assigned_to=counsellor, status=S.VALID)
    CustomerFactory.create_batch(2, assigned_to=counsellor, status=S.NEW)
    CustomerFactory.create_batch(3, status=S.VALID)

    mine = manager_client.get(URL, {"assigned_to": counsellor.pk, "status": S.VALID})
    unassigned = manager_client.get(URL, {"assigned_to": "none"})

    assert mine.context["page"].paginator.count_label == "7"
    assert unassigned.context["page"].paginator.count_label == "3"


def test_a_counsellor_sees_the_exact_count_of_their_own(counsellor_client, counsellor, small_bound):
    CustomerFactory.create_batch(6, assigned_to=counsellor)
    CustomerFactory.create_batch(4)

    response = counsellor_client.get(URL)

    assert response.context["page"].paginator.count_label == "6"


def test_other_filters_count_up_to_the_bound_and_say_there_are_more(manager_client, small_bound):
    CustomerFactory.create_batch(9, name="Asha Nair")

    response = manager_client.get(URL, {"q": "asha", "page": 99})

    page = response.context["page"]
    assert (page.paginator.count_label, page.paginator.more) == ("5+", True)
    # Pages stop at the bound: asking past the end shows the last page it reaches.
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (3, 3, 1)
    assert b"5+ customers" in response.content
    assert b"search or filter to reach the rest" in response.content


def test_below_the_bound_the_count_is_exact(manager_client, small_bound):
    CustomerFactory.create_batch(4, name="Asha Nair")
    CustomerFactory(name="Ravi Kumar")

    response = manager_client.get(URL, {"q": "asha"})

    assert response.context["page"].paginator.count_label == "4"
    assert not response.context["page"].paginator.more


def test_the_deepest_page_is_the_bound(manager_client, small_bound):
    """The rows pages reach are the first `limit` in the list's order, newest first."""
    customers = [CustomerFactory(name=f"Asha {n}") for n in range(7)]

    reached = []
    for number in (1, 2, 3):
        page = manager_client.get(URL, {"q": "asha", "page": number}).context["page"]
        reached += list(page.object_list)

    newest_first = sorted(customers, key=lambda c: (c.created_at, c.pk), reverse=True)
    assert reached == newest_first[:5]


def page_links(response) -> list[str]:
    """The pager's entries as shown: numbers, gaps and Previous/Next, in order."""
    nav = BeautifulSoup(response.content, "html.parser").find(
        "nav", attrs={"aria-label": "Pagination"}
    )
    return [
        element.get_text(strip=True)
        for element in nav.find_all(["a", "span"])
        if not element.find(["a", "span"]) and not element.find_parent("p")
    ]


def test_the_pager_numbers_the_pages_around_this_one_and_the_ends(manager_client, settings):
    settings.CUSTOMERS_PER_PAGE = 1
    CustomerFactory.create_batch(40)

    response = manager_client.get(URL, {"page": 5})

    assert page_links(response) == ["Previous", "1", "…", "4", "5", "6", "…", "40", "Next"]
    assert b'aria-current="page">5<' in response.content


def test_the_pager_stops_at_the_bound_and_says_so(manager_client, small_bound):
    CustomerFactory.create_batch(9, name="Asha Nair")

    response = manager_client.get(URL, {"q": "asha"})

    # Two a page, at most five rows: three pages, and the count is "5+".
    assert page_links(response) == ["1", "2", "3", "Next"]
    assert b"5+ customers" in response.content


@pytest.mark.parametrize(("count", "said"), [(1, "1 customer"), (3, "3 customers")])
def test_the_list_says_how_many_in_proper_english(manager_client, count, said):
    CustomerFactory.create_batch(count)

    response = manager_client.get(URL)

    assert (
        BeautifulSoup(response.content, "html.parser")
        .find(attrs={"data-testid": "list-count"})
        .get_text(strip=True)
        == said
    )
    assert f"Apply to all {count} {said.split()[1]} matching" in " ".join(
        response.content.decode().replace("<strong>", "").replace("</strong>", "").split()
    )
    assert b"customer(s)" not in response.content
