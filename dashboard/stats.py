"""What the dashboards count, aggregated in the database in a fixed number of queries.

Every number comes with the customer-list URL that shows exactly the customers it counts
(customers/filters.py); dashboard/tests/test_links.py follows every link to hold the two
together. Periods are local dates, both included; here they become date-time ranges, which
the database answers from an index instead of converting every row's time to a local date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from operator import attrgetter
from urllib.parse import urlencode

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.urls import get_script_prefix, reverse

from accounts.models import User
from customers.models import Customer, CustomerNote, CustomerStatusHistory, during, in_period
from imports.models import FileImport

from .forms import Period

S = Customer.Status
FUNNEL = Customer.STAGES
QUEUE_LENGTH = 25
ACTIVITY_LENGTH = 10
RECENT_IMPORTS = 5


@dataclass(frozen=True)
class Stat:
    """A number on a dashboard and the customer list of exactly what it counts."""

    key: str
    label: str
    count: int
    url: str
    alert: bool = False  # a count that needs doing something about, when it is not zero


def list_url(**params) -> str:
    """The customer list filtered by `params`; dates are written YYYY-MM-DD."""
    query = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in params.items()
    }
    return list_path(get_script_prefix()) + ("?" + urlencode(query) if query else "")


@cache
def list_path(script_prefix: str) -> str:
    """The customer list's path (a dashboard links to it hundreds of times)."""
    return reverse("customers:list")


def week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def moves(since: date | None = None, until: date | None = None, **conditions) -> QuerySet:
    """Status history rows in the period (the `reached` and `moved_by` list filters)."""
    return in_period(CustomerStatusHistory.objects.filter(**conditions), since, until).order_by()


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Manager -------------------------------------------------------------------------------


def manager_numbers(today: date, period: Period, tally: list[tuple]) -> dict:
    """Every customer count on the manager dashboard. All-time counts come from the counts the
    database keeps (`CustomerCount`); dated ones from indexed ranges, a query each."""
    monday, first_of_month = week_start(today), today.replace(day=1)
    counts = dict.fromkeys(["customers", "assigned", "unassigned"], 0)
    counts |= {f"status_{status}": 0 for status in S} | {f"funnel_{s}": 0 for s in FUNNEL}
    for assignee, status, stages, n in tally:
        counts["customers"] += n
        counts["assigned" if assignee else "unassigned"] += n
        counts[f"status_{status}"] += n
        for stage in FUNNEL[1:]:
            if stages & Customer.stage_bit(stage):
                counts[f"funnel_{stage}"] += n
    counts |= {
        "new_this_week": Customer.objects.filter(**during("created_at", monday)).count(),
        "admissions_this_month": admitted(first_of_month),
        "overdue": Customer.objects.follow_up_overdue(today).count(),
        "new_in_period": Customer.objects.filter(
            **during("created_at", period.since, period.until)
        ).count(),
        "admissions_in_period": admitted(period.since, period.until),
    }
    counts[f"funnel_{S.NEW}"] = counts["customers"]  # every customer starts as a new enquiry
    return counts


def admitted(since=None, until=None, **conditions) -> int:
    """Customers with a move to Admission recorded in the period, whatever their status now
    (the `reached` list filter): a customer moved there twice counts once."""
    admissions = moves(since, until, new_status=S.ADMISSION, **conditions)
    return admissions.values("customer_id").distinct().count()


def manager_totals(counts: dict, today: date) -> list[Stat]:
    monday, first_of_month = week_start(today), today.replace(day=1)
    return [
        Stat("customers", "Customers", counts["customers"], list_url()),
        Stat("assigned", "Assigned", counts["assigned"], list_url(assigned="true")),
        Stat("unassigned", "Unassigned", counts["unassigned"], list_url(assigned_to="none")),
        Stat(
            "new_this_week",
            "Added this week",
            counts["new_this_week"],
            list_url(created_after=monday),
        ),
        Stat(
            "admissions_this_month",
            "Admissions recorded this month",
            counts["admissions_this_month"],
            list_url(reached=S.ADMISSION, changed_after=first_of_month),
        ),
        Stat(
            "overdue",
            "Overdue follow-ups",
            counts["overdue"],
            list_url(follow_up="overdue", sort="follow_up"),
            alert=True,
        ),
    ]


def status_stats(counts: dict) -> list[Stat]:
    """Customers per current status, in the business's order, each linking to that status."""
    return [
        Stat(
            f"status_{status}",
            f"In {status.label} now",
            counts[f"status_{status}"],
            list_url(status=status),
        )
        for status in S
    ]


def funnel_stats(counts: dict) -> list[dict]:
    """How many customers ever reached each stage, and what share of all customers that is."""
    return [
        {
            "stage": stage.label,
            "stat": Stat(
                f"funnel_{stage}",
                f"Reached {stage.label} (ever)",
                counts[f"funnel_{stage}"],
                list_url() if stage == S.NEW else list_url(ever_reached=stage),
            ),
            "share": percent(counts[f"funnel_{stage}"], counts["customers"]),
        }
        for stage in FUNNEL
    ]


def period_stats(counts: dict, period: Period) -> list[Stat]:
    return [
        Stat(
            "new_in_period",
            "Customers added",
            counts["new_in_period"],
            list_url(created_after=period.since, created_before=period.until),
        ),
        Stat(
            "admissions_in_period",
            "Admissions recorded",
            counts["admissions_in_period"],
            list_url(reached=S.ADMISSION, **period.as_filter()),
        ),
    ]


def daily_series(period: Period) -> tuple[list[Stat], list[Stat]]:
    """Customers added and admissions recorded on each day of the period: two grouped
    queries."""
    new = dict(
        Customer.objects.filter(**during("created_at", period.since, period.until))
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    # A customer admitted twice in a day (a correction, say) is one admission that day.
    admitted = dict(
        moves(period.since, period.until, new_status=S.ADMISSION)
        .annotate(day=TruncDate("changed_at"))
        .values_list("day")
        .annotate(n=Count("customer", distinct=True))
    )
    days = period.dates()
    return (
        [
            Stat(f"new_{day}", "Customers added", new.get(day, 0), day_url(day, created=True))
            for day in days
        ],
        [
            Stat(f"admissions_{day}", "Admissions recorded", admitted.get(day, 0), day_url(day))
            for day in days
        ],
    )


def day_url(day: date, created=False) -> str:
    if created:
        return list_url(created_after=day, created_before=day)
    return list_url(reached=S.ADMISSION, changed_after=day, changed_before=day)


# The performance table's columns, each a sort key and its heading. One admission figure:
# their customers who ever reached Admission, the funnel's measure, so that Conversion is that
# figure over Assigned and the column adds up (with the unassigned) to the funnel's Admission.
PERFORMANCE_COLUMNS = {
    "name": "Counsellor",
    "assigned": "Assigned",
    "contacted": "Contacted",
    "moved": "Moved in period",
    "overdue": "Overdue",
    "admitted": "Reached Admission",
    "conversion": "Conversion",
}
PERFORMANCE_SORTS = tuple(PERFORMANCE_COLUMNS)


def counsellor_performance(today: date, period: Period, sort: str, tally: list) -> list[User]:
    """Active counsellors, and anyone else who still has customers, with their numbers: the
    kept counts and two grouped queries (each one pass over an index range), whatever the
    size of the team. `sort` is a PERFORMANCE_SORTS key, "-" for descending."""
    numbers = defaultdict(lambda: dict.fromkeys(["assigned", "contacted", "admitted"], 0))
    for assignee, status, stages, n in tally:
        if assignee:
            numbers[assignee]["assigned"] += n
            numbers[assignee]["contacted"] += n if status != S.NEW else 0
            numbers[assignee]["admitted"] += n if stages & Customer.stage_bit(S.ADMISSION) else 0
    # Customers whose status they changed in the period, wherever those customers are now.
    moved = per_person(moves(period.since, period.until), "changed_by", "customer_id")
    overdue = per_person(Customer.objects.follow_up_overdue(today), "assigned_to")
    counsellors = User.objects.filter(
        Q(role=User.Role.SALES, is_active=True) | Q(pk__in=list(numbers))
    )
    counsellors = list(counsellors.order_by("first_name", "last_name", "username"))
    for counsellor in counsellors:
        vars(counsellor).update(numbers[counsellor.pk])
        counsellor.moved = moved.get(counsellor.pk, 0)
        counsellor.overdue = overdue.get(counsellor.pk, 0)
        counsellor.conversion = percent(counsellor.admitted, counsellor.assigned)
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key == "name":
        return counsellors[::-1] if descending else counsellors
    # Stable sorts: equal numbers stay in name order; a missing rate goes last either way.
    known = [c for c in counsellors if getattr(c, key) is not None]
    known.sort(key=attrgetter(key), reverse=descending)
    return known + [c for c in counsellors if getattr(c, key) is None]


def per_person(rows: QuerySet, person: str, counted: str | None = None) -> dict:
    """{user id: how many `rows`, or distinct `counted` values among them} by `person`."""
    count = Count(counted, distinct=True) if counted else Count("*")
    return dict(rows.order_by().values_list(person).annotate(n=count))


def performance_rows(counsellors: list[User], period: Period) -> list[dict]:
    """Each counsellor's linked numbers, headed as in PERFORMANCE_COLUMNS, and their rate."""
    heading = PERFORMANCE_COLUMNS
    rows = []
    for counsellor in counsellors:
        pk = counsellor.pk
        rows.append(
            {
                "counsellor": counsellor,
                "stats": [
                    Stat(
                        f"{pk}_assigned",
                        heading["assigned"],
                        counsellor.assigned,
                        list_url(assigned_to=pk),
                    ),
                    Stat(
                        f"{pk}_contacted",
                        heading["contacted"],
                        counsellor.contacted,
                        list_url(assigned_to=pk, contacted="true"),
                    ),
                    Stat(
                        f"{pk}_moved",
                        heading["moved"],
                        counsellor.moved,
                        list_url(moved_by=pk, **period.as_filter()),
                    ),
                    Stat(
                        f"{pk}_overdue",
                        heading["overdue"],
                        counsellor.overdue,
                        list_url(assigned_to=pk, follow_up="overdue", sort="follow_up"),
                        alert=True,
                    ),
                    Stat(
                        f"{pk}_admitted",
                        heading["admitted"],
                        counsellor.admitted,
                        list_url(assigned_to=pk, ever_reached=S.ADMISSION),
                    ),
                ],
                "conversion": counsellor.conversion,
            }
        )
    return rows


def recent_imports() -> list[FileImport]:
    return list(FileImport.objects.select_related("imported_by")[:RECENT_IMPORTS])


# --- Counsellor ----------------------------------------------------------------------------


def counsellor_numbers(user: User, today: date, tally: list) -> dict:
    """Every count on a counsellor's dashboard, over their own customers: the kept counts,
    one aggregate read from a covering index, and their moves."""
    counts = {"customers": 0} | {f"status_{status}": 0 for status in S}
    for assignee, status, _, n in tally:
        if assignee == user.pk:
            counts["customers"] += n
            counts[f"status_{status}"] += n
    mine = Customer.objects.visible_to(user)
    still_open = ~Q(status__in=Customer.FINAL_STATUSES)
    # Counting `status`, a column of the covering index, lets PostgreSQL read only the index.
    counts |= mine.order_by().aggregate(
        overdue=Count("status", filter=still_open & Q(follow_up_on__lt=today)),
        due_today=Count("status", filter=still_open & Q(follow_up_on=today)),
        not_contacted=Count("status", filter=Q(status=S.NEW, follow_up_on__isnull=True)),
    )
    theirs = moves(week_start(today), changed_by=user).filter(customer__assigned_to=user)
    counts["moved_this_week"] = theirs.values("customer_id").distinct().count()
    return counts


def not_contacted(customers: QuerySet) -> QuerySet:
    """New enquiries with no call planned yet: a follow-up date puts them in the other lists."""
    return customers.not_contacted().filter(follow_up_on__isnull=True)


def counsellor_stats(counts: dict, today: date, user: User) -> dict[str, Stat]:
    """The numbers at the top of a counsellor's day, by key."""
    stats = [
        Stat(
            "overdue",
            "Overdue",
            counts["overdue"],
            list_url(follow_up="overdue", sort="follow_up"),
            alert=True,
        ),
        Stat(
            "due_today",
            "Due today",
            counts["due_today"],
            list_url(follow_up="today", sort="follow_up"),
        ),
        Stat(
            "not_contacted",
            "New to call",
            counts["not_contacted"],
            list_url(contacted="false", follow_up="none", sort="created"),
        ),
        Stat(
            "moved_this_week",
            "Moved this week",
            counts["moved_this_week"],
            list_url(moved_by=user.pk, changed_after=week_start(today)),
        ),
    ]
    return {stat.key: stat for stat in stats}


def my_day(user: User, today: date, stats: dict[str, Stat]) -> list[dict]:
    """The call queue: overdue follow-ups, today's, then new enquiries; a query each."""
    mine = Customer.objects.visible_to(user).with_last_note()
    by_time = F("follow_up_time").asc(nulls_last=True)
    sections = [
        (
            "overdue",
            "Overdue follow-ups",
            mine.follow_up_overdue(today).order_by("follow_up_on", by_time, "created_at"),
            "Nothing overdue.",
        ),
        (
            "due_today",
            "Due today",
            mine.follow_up_due_today(today).order_by(by_time, "created_at"),
            "No follow-ups planned for today.",
        ),
        (
            "not_contacted",
            "New, not contacted yet",
            not_contacted(mine).order_by("created_at"),
            "Every new enquiry has been called.",
        ),
    ]
    return [
        {
            "title": title,
            "stat": stats[key],
            "customers": list(customers[:QUEUE_LENGTH]),
            "empty": empty,
        }
        for key, title, customers, empty in sections
    ]


def recent_activity(user: User) -> list:
    """The user's latest status changes and notes on their customers, newest first."""
    theirs = Customer.objects.visible_to(user)
    changes = CustomerStatusHistory.objects.filter(changed_by=user, customer__in=theirs)
    # Notes written with a status change are shown with it.
    notes = CustomerNote.objects.filter(author=user, status_change=None, customer__in=theirs)
    events = [
        *changes.select_related("customer")[:ACTIVITY_LENGTH],
        *notes.select_related("customer")[:ACTIVITY_LENGTH],
    ]
    return sorted(events, key=lambda event: event.changed_at, reverse=True)[:ACTIVITY_LENGTH]
