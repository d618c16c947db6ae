"""A hand-built customer book with known answers, and helpers that read the dashboards.

Dates are relative to today (timezone.localdate()) and chosen so no answer depends on the day
of the week or of the month: events are either today or at least 8 days back, and no admission
falls between yesterday and 32 days back.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html.parser import HTMLParser

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory
from customers.models import Customer, CustomerNote, CustomerStatusHistory

S = Customer.Status


def day(days_ago: int):
    return timezone.localdate() - timedelta(days=days_ago)


def at(days_ago: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment `days_ago` local days back, at a given local time."""
    return timezone.make_aware(datetime.combine(day(days_ago), time(hour, minute)))


def make_customer(name, owner, status, *, created, follow_up=None, moves=(), notes=()):
    """A customer with its history: `moves` are (new status, by, days ago[, hour]) in order,
    `notes` are (body, by, days ago[, hour]); `follow_up` is days from today (negative: past)."""
    customer = CustomerFactory(
        name=name,
        assigned_to=owner,
        status=status,
        follow_up_on=None if follow_up is None else day(-follow_up),
    )
    # The stages a customer has had are kept by the database as its status changes; history
    # written by hand here needs them written too.
    stages = sum({Customer.stage_bit(new_status) for new_status, *_ in moves})
    Customer.objects.filter(pk=customer.pk).update(
        created_at=at(created, 9), stages=F("stages").bitor(stages)
    )
    previous = S.NEW
    for new_status, by, days_ago, *hour in moves:
        CustomerStatusHistory.objects.create(
            customer=customer,
            previous_status=previous,
            new_status=new_status,
            changed_by=by,
            changed_at=at(days_ago, *hour),
        )
        previous = new_status
    for body, by, days_ago, *hour in notes:
        CustomerNote.objects.create(
            customer=customer, author=by, body=body, created_at=at(days_ago, *hour)
        )
    return customer


@dataclass
class Book:
    manager: object
    arjun: object
    meera: object
    ravi: object  # left the team, still has a customer
    neha: object  # joined, no customers yet
    customers: dict


@pytest.fixture
def book(manager, counsellor, other_counsellor):
    """Fifteen customers over two counsellors, a former one and nobody (see the module doc)."""
    arjun, meera = counsellor, other_counsellor
    ravi = CounsellorFactory(username="ravi", first_name="Ravi", last_name="Kumar")
    neha = CounsellorFactory(username="neha", first_name="Neha", last_name="Joshi")
    # Left without customers: not on the performance table.
    CounsellorFactory(username="old", first_name="Omana", last_name="Old", is_active=False)
    plan = [
        ("Asha", arjun, S.NEW, {"created": 0}),
        (
            "Bala",
            arjun,
            S.NEW,
            {
                "created": 10,
                "follow_up": -1,
                "notes": [
                    ("Asked for the fee sheet.", arjun, 12),
                    ("Busy; call later.", arjun, 10),
                ],
            },
        ),
        (
            "Chitra",
            arjun,
            S.FOLLOW_UP,
            {
                "created": 20,
                "follow_up": -3,
                "moves": [(S.VALID, arjun, 15), (S.FOLLOW_UP, arjun, 0, 10)],
                "notes": [("Call after her exams.", arjun, 0, 10, 5)],
            },
        ),
        (
            "Deepak",
            arjun,
            S.CALL_NOT_ATTENDED,
            {"created": 40, "follow_up": 0, "moves": [(S.CALL_NOT_ATTENDED, arjun, 9)]},
        ),
        (
            "Esha",
            arjun,
            S.ADMISSION,
            {
                "created": 50,
                "moves": [
                    (S.VALID, arjun, 45),
                    (S.INTERESTED, arjun, 35),
                    (S.ADMISSION, arjun, 0, 11),
                ],
            },
        ),
        (
            "Farid",
            meera,
            S.INTERESTED,
            {
                "created": 60,
                "follow_up": 1,
                "moves": [(S.VALID, meera, 40), (S.INTERESTED, meera, 12)],
            },
        ),
        (
            "Gita",
            meera,
            S.NOT_INTERESTED,
            # A closed customer's old follow-up date is not overdue.
            {"created": 25, "follow_up": -5, "moves": [(S.NOT_INTERESTED, meera, 11)]},
        ),
        (
            "Hari",
            meera,
            S.ADMISSION,
            {"created": 100, "moves": [(S.VALID, meera, 90), (S.ADMISSION, meera, 45)]},
        ),
        (
            "Indu",
            meera,
            S.REGISTRATION,
            # Admitted, then corrected back: the history still shows the admission.
            {"created": 70, "moves": [(S.ADMISSION, meera, 40), (S.REGISTRATION, None, 39)]},
        ),
        ("Jaya", None, S.NEW, {"created": 35}),
        ("Kiran", None, S.INVALID, {"created": 0, "moves": [(S.INVALID, None, 0, 9)]}),
        # Imported at VALID, so no history; its counsellor has left.
        ("Lata", ravi, S.VALID, {"created": 80, "follow_up": -2}),
        # Arjun moved it, then it went to Meera.
        ("Mohan", meera, S.VALID, {"created": 30, "moves": [(S.VALID, arjun, 9)]}),
        (
            "Nisha",
            arjun,
            S.CAMPUS_VISIT,
            {
                "created": 8,
                "moves": [(S.SHORTLISTED, arjun, 8, 10), (S.CAMPUS_VISIT, arjun, 8, 11)],
            },
        ),
        # Imported as already admitted: no history.
        ("Omar", None, S.ADMISSION, {"created": 200}),
    ]
    customers = {}
    for name, owner, status, details in plan:
        details = dict(details)
        details["moves"] = [
            (new, by or manager, *rest) for new, by, *rest in details.get("moves", ())
        ]
        customers[name] = make_customer(name, owner, status, **details)
    ravi.is_active = False
    ravi.save(update_fields=["is_active"])
    return Book(manager, arjun, meera, ravi, neha, customers)


class CountingLinks(HTMLParser):
    """Every counting link on a page: <a data-stat=key data-count=n href=url>."""

    def __init__(self):
        super().__init__()
        self.counts, self.urls = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "a" or "data-stat" not in attrs:
            return
        key, count = attrs["data-stat"], int(attrs["data-count"])
        # A number may show twice (a card and a table); it must say the same both times.
        assert self.counts.setdefault(key, count) == count, key
        assert self.urls.setdefault(key, attrs["href"]) == attrs["href"], key


def counting_links(response) -> CountingLinks:
    assert response.status_code == 200
    links = CountingLinks()
    links.feed(response.content.decode())
    return links


def numbers(response) -> dict[str, int]:
    """{key: number} of every counting link on the page."""
    return counting_links(response).counts


def listed_names(client, url) -> set[str]:
    """Names of every customer the list shows at `url`, over all its pages."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {customer.name for customer in response.context["page"].paginator.object_list}


def expected_numbers(response, expected: dict[str, set]) -> dict[str, int]:
    """What `numbers(response)` should be: the size of each expected set, zero where none."""
    return {key: len(expected.get(key, ())) for key in numbers(response)}


def names(text: str) -> set[str]:
    return set(text.split())


@pytest.fixture
def manager_expected(book):
    """Who each number on the manager dashboard counts, for the default period (30 days)."""
    arjun, meera, ravi = book.arjun.pk, book.meera.pk, book.ravi.pk
    return {
        "customers": names(
            "Asha Bala Chitra Deepak Esha Farid Gita Hari Indu Jaya Kiran Lata Mohan Nisha Omar"
        ),
        "assigned": names("Asha Bala Chitra Deepak Esha Farid Gita Hari Indu Lata Mohan Nisha"),
        "unassigned": names("Jaya Kiran Omar"),
        "new_this_week": names("Asha Kiran"),
        "admissions_this_month": names("Esha"),
        "overdue": names("Bala Chitra Lata"),
        "status_NEW": names("Asha Bala Jaya"),
        "status_INVALID": names("Kiran"),
        "status_VALID": names("Lata Mohan"),
        "status_CALL_NOT_ATTENDED": names("Deepak"),
        "status_INTERESTED": names("Farid"),
        "status_NOT_INTERESTED": names("Gita"),
        "status_FOLLOW_UP": names("Chitra"),
        "status_CAMPUS_VISIT": names("Nisha"),
        "status_REGISTRATION": names("Indu"),
        "status_ADMISSION": names("Esha Hari Omar"),
        "funnel_NEW": names(
            "Asha Bala Chitra Deepak Esha Farid Gita Hari Indu Jaya Kiran Lata Mohan Nisha Omar"
        ),
        "funnel_VALID": names("Chitra Esha Farid Hari Lata Mohan"),
        "funnel_INTERESTED": names("Esha Farid"),
        "funnel_SHORTLISTED": names("Nisha"),
        "funnel_CAMPUS_VISIT": names("Nisha"),
        "funnel_REGISTRATION": names("Indu"),
        "funnel_ADMISSION": names("Esha Hari Indu Omar"),
        "new_in_period": names("Asha Bala Chitra Gita Kiran Nisha"),
        "admissions_in_period": names("Esha"),
        f"new_{day(0)}": names("Asha Kiran"),
        f"new_{day(8)}": names("Nisha"),
        f"new_{day(10)}": names("Bala"),
        f"new_{day(20)}": names("Chitra"),
        f"new_{day(25)}": names("Gita"),
        f"admissions_{day(0)}": names("Esha"),
        f"{arjun}_assigned": names("Asha Bala Chitra Deepak Esha Nisha"),
        f"{arjun}_contacted": names("Chitra Deepak Esha Nisha"),
        f"{arjun}_moved": names("Chitra Deepak Esha Mohan Nisha"),
        f"{arjun}_overdue": names("Bala Chitra"),
        f"{arjun}_admitted": names("Esha"),
        f"{meera}_assigned": names("Farid Gita Hari Indu Mohan"),
        f"{meera}_contacted": names("Farid Gita Hari Indu Mohan"),
        f"{meera}_moved": names("Farid Gita"),
        f"{meera}_admitted": names("Hari Indu"),
        f"{ravi}_assigned": names("Lata"),
        f"{ravi}_contacted": names("Lata"),
        f"{ravi}_overdue": names("Lata"),
    }


@pytest.fixture
def custom_period_expected(book, manager_expected):
    """The same, for the period from 50 to 30 days ago: only the period's numbers change."""
    arjun, meera = book.arjun.pk, book.meera.pk
    unchanged = {
        key: value
        for key, value in manager_expected.items()
        # Per-day numbers (keys end in a date) and per-counsellor period numbers.
        if not key.startswith(("new_2", "admissions_2")) and not key.endswith("_moved")
    }
    return {
        **unchanged,
        "new_in_period": names("Deepak Esha Jaya Mohan"),
        "admissions_in_period": names("Hari Indu"),
        f"new_{day(30)}": names("Mohan"),
        f"new_{day(35)}": names("Jaya"),
        f"new_{day(40)}": names("Deepak"),
        f"new_{day(50)}": names("Esha"),
        f"admissions_{day(45)}": names("Hari"),
        f"admissions_{day(40)}": names("Indu"),
        f"{arjun}_moved": names("Esha"),
        f"{meera}_moved": names("Farid Hari Indu"),
    }


@pytest.fixture
def counsellor_expected(book):
    """Who each number on Arjun's dashboard counts."""
    return {
        "overdue": names("Bala Chitra"),
        "due_today": names("Deepak"),
        "not_contacted": names("Asha"),
        "moved_this_week": names("Chitra Esha"),
        "customers": names("Asha Bala Chitra Deepak Esha Nisha"),
        "status_NEW": names("Asha Bala"),
        "status_CALL_NOT_ATTENDED": names("Deepak"),
        "status_FOLLOW_UP": names("Chitra"),
        "status_CAMPUS_VISIT": names("Nisha"),
        "status_ADMISSION": names("Esha"),
    }
