"""Every number on both dashboards links to the customer list, and the list shows exactly the
customers that number counts: the same people, not just as many."""

import pytest

from .conftest import counting_links, day, listed_names

pytestmark = pytest.mark.django_db


def assert_links_lead_to_exactly(client, response, expected):
    links = counting_links(response)
    for key, url in links.urls.items():
        shown = listed_names(client, url)
        assert shown == expected.get(key, set()), f"{key}: {url}"
        assert len(shown) == links.counts[key], f"{key}: {url}"
    assert set(expected) <= set(links.urls)


def test_manager_numbers_link_to_exactly_their_customers(manager_client, manager_expected):
    response = manager_client.get("/dashboard/")

    assert_links_lead_to_exactly(manager_client, response, manager_expected)


def test_manager_numbers_for_a_chosen_period_link_to_exactly_their_customers(
    manager_client, custom_period_expected
):
    period = {"start": day(50).isoformat(), "end": day(30).isoformat()}
    response = manager_client.get("/dashboard/", period)

    assert_links_lead_to_exactly(manager_client, response, custom_period_expected)


def test_counsellor_numbers_link_to_exactly_their_customers(counsellor_client, counsellor_expected):
    response = counsellor_client.get("/dashboard/")

    assert_links_lead_to_exactly(counsellor_client, response, counsellor_expected)


def test_the_counsellor_week_counts_only_their_own_customers(client, book):
    """Arjun moved Mohan, who is now Meera's: Arjun's list cannot show him, so neither does
    his count; the manager's count for Arjun does include him."""
    client.force_login(book.arjun)

    links = counting_links(client.get("/dashboard/"))

    assert "Mohan" not in listed_names(client, links.urls["moved_this_week"])
    client.force_login(book.manager)
    manager_links = counting_links(client.get("/dashboard/"))
    assert "Mohan" in listed_names(client, manager_links.urls[f"{book.arjun.pk}_moved"])
