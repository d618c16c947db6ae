"""The dashboard: customers per status (and unassigned, for managers), each number a link."""

import re
from html.parser import HTMLParser

import pytest

from customers.factories import CustomerFactory
from customers.models import Customer

S = Customer.Status


class LinkCollector(HTMLParser):
    """Collect every link in the page's main content as {href: visible text}."""

    def __init__(self):
        super().__init__()
        self.links, self.href, self.text, self.in_main = {}, None, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        elif tag == "a" and self.in_main:
            self.href, self.text = dict(attrs)["href"], []

    def handle_data(self, data):
        if self.href is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "a" and self.href is not None:
            self.links[self.href] = " ".join("".join(self.text).split())
            self.href = None


def numbers_by_link(response):
    """{href: the number shown in that link} for every counting link on the dashboard."""
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return {
        href: int(re.search(r"(\d+)$", text).group(1))
        for href, text in collector.links.items()
        if href.startswith("/customers/")
    }


@pytest.fixture
def book(counsellor, other_counsellor):
    """A hand-built customer book: (owner, status, how many)."""
    plan = [
        (counsellor, S.NEW, 3),
        (counsellor, S.VALID, 2),
        (counsellor, S.ADMISSION, 1),
        (other_counsellor, S.NEW, 1),
        (other_counsellor, S.FOLLOW_UP, 4),
        (None, S.NEW, 2),
        (None, S.INVALID, 1),
    ]
    return [
        CustomerFactory(assigned_to=owner, status=status)
        for owner, status, count in plan
        for _ in range(count)
    ]


def status_links(**counts):
    """Every status link, in the business's order, with zero where not given."""
    return {f"/customers/?status={status}": counts.get(status, 0) for status in S.values}


def test_manager_sees_every_customer_per_status_and_the_unassigned(manager_client, book):
    response = manager_client.get("/dashboard/")

    assert response.status_code == 200
    assert numbers_by_link(response) == {
        "/customers/": 14,
        "/customers/?assigned_to=none": 3,
        **status_links(NEW=6, INVALID=1, VALID=2, FOLLOW_UP=4, ADMISSION=1),
    }


def test_counsellor_sees_only_their_own_customers_and_no_unassigned_count(counsellor_client, book):
    response = counsellor_client.get("/dashboard/")

    assert response.status_code == 200
    assert numbers_by_link(response) == {
        "/customers/": 6,
        **status_links(NEW=3, VALID=2, ADMISSION=1),
    }
    assert "Unassigned" not in response.content.decode()


def test_statuses_are_listed_in_the_business_order_with_their_labels(manager_client, book):
    response = manager_client.get("/dashboard/")

    collector = LinkCollector()
    collector.feed(response.content.decode())
    status_texts = [
        text for href, text in collector.links.items() if href.startswith("/customers/?status=")
    ]
    assert [text.rsplit(" ", 1)[0] for text in status_texts] == S.labels


def test_dashboard_with_no_customers_shows_zeros(manager_client):
    response = manager_client.get("/dashboard/")

    assert numbers_by_link(response) == {
        "/customers/": 0,
        "/customers/?assigned_to=none": 0,
        **status_links(),
    }


def listed_customers(client, href):
    """The customers the list page shows for `href` (the book fits on one page)."""
    page = client.get(href).context["page"]
    assert page.paginator.num_pages == 1
    return set(page.object_list)


def expected_for(href, book, viewer):
    visible = [c for c in book if viewer.is_manager or c.assigned_to == viewer]
    if href == "/customers/":
        return set(visible)
    if href == "/customers/?assigned_to=none":
        return {c for c in visible if c.assigned_to is None}
    status = href.removeprefix("/customers/?status=")
    return {c for c in visible if c.status == status}


@pytest.mark.parametrize("persona", ["manager", "counsellor"])
def test_every_number_links_to_a_list_of_exactly_those_customers(client, request, book, persona):
    viewer = request.getfixturevalue(persona)
    client.force_login(viewer)

    links = numbers_by_link(client.get("/dashboard/"))

    for href, number in links.items():
        shown = listed_customers(client, href)
        assert shown == expected_for(href, book, viewer), href
        assert len(shown) == number, href
