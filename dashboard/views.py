from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from customers.forms import CallOutcomeForm
from customers.models import Customer, CustomerCount

from . import stats
from .charts import Chart, Series
from .forms import PRESETS, Period, PeriodForm

DEFAULT_SORT = "name"


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:index")


def dashboard(request: HttpRequest) -> HttpResponse:
    """Managers see the team; counsellors see their day."""
    if request.user.is_manager:
        return manager_dashboard(request)
    return counsellor_dashboard(request)


def manager_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period_form = PeriodForm(request.GET or None)
    period = period_form.period(today)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort.removeprefix("-") not in stats.PERFORMANCE_SORTS:
        sort = DEFAULT_SORT
    tally = CustomerCount.objects.current()
    counts = stats.manager_numbers(today, period, tally)
    counsellors = stats.counsellor_performance(today, period, sort, tally)
    context = {
        "period_form": period_form,
        "period": period,
        "presets": preset_links(period, sort),
        "sort": sort,
        "totals": stats.manager_totals(counts, today),
        "status_chart": status_chart(counts, "Customers by status now"),
        "funnel": stats.funnel_stats(counts),
        "conversion": stats.percent(counts[f"funnel_{stats.S.ADMISSION}"], counts["customers"]),
        "columns": sort_links(period, sort),
        "performance": stats.performance_rows(counsellors, period),
        "period_totals": stats.period_stats(counts, period),
        "daily_chart": daily_chart(period),
        "imports": stats.recent_imports(),
    }
    return render(request, "dashboard/manager.html", context)


def counsellor_dashboard(request: HttpRequest) -> HttpResponse:
    today, user = timezone.localdate(), request.user
    counts = stats.counsellor_numbers(user, today, CustomerCount.objects.current())
    numbers = stats.counsellor_stats(counts, today, user)
    context = {
        "numbers": list(numbers.values()),
        "sections": stats.my_day(user, today, numbers),
        "customers": stats.Stat("customers", "My customers", counts["customers"], stats.list_url()),
        "status_chart": status_chart(counts, "My customers by status"),
        "activity": stats.recent_activity(user),
        "today": today,
        # One form for every card: the next call's default and the statuses, built once.
        "call_form": CallOutcomeForm(initial={"next": request.get_full_path()}),
    }
    return render(request, "dashboard/counsellor.html", context)


def status_chart(counts: dict, title: str) -> Chart:
    return Chart(
        id="status-chart",
        title=title,
        kind="bar",
        labels=Customer.Status.labels,
        series=[Series("Customers", stats.status_stats(counts))],
        label_heading="Status now",
        horizontal=True,  # twelve long labels read best down the side, on a phone too
    )


def daily_chart(period: Period) -> Chart:
    new_per_day, admissions_per_day = stats.daily_series(period)
    return Chart(
        id="daily-chart",
        title="Customers added and admissions recorded per day",
        kind="line",
        labels=[day.strftime("%d %b") for day in period.dates()],
        series=[
            Series("Customers added", new_per_day),
            Series("Admissions recorded", admissions_per_day),
        ],
        label_heading="Day",
    )


def dashboard_url(period: Period | None = None, sort: str = DEFAULT_SORT) -> str:
    params = period.as_query() if period else {}
    if sort != DEFAULT_SORT:
        params["sort"] = sort
    return "?" + urlencode(params)


def preset_links(period: Period, sort: str) -> list[dict]:
    return [
        {
            "label": f"{days} days",
            "url": dashboard_url(Period.last(days, period.until), sort),
            "current": period.days == days,
        }
        for days in PRESETS
    ]


def sort_links(period: Period, sort: str) -> list[dict]:
    """The performance table's headings: each sorts by its column, again to reverse it.
    Numbers sort largest first; names from A."""
    columns = []
    for key, label in stats.PERFORMANCE_COLUMNS.items():
        first = key if key == DEFAULT_SORT else f"-{key}"
        reverse = first.removeprefix("-") if first.startswith("-") else f"-{first}"
        direction = None
        if sort.removeprefix("-") == key:
            direction = "descending" if sort.startswith("-") else "ascending"
        next_sort = reverse if sort == first else first
        columns.append(
            {"label": label, "url": dashboard_url(period, next_sort), "direction": direction}
        )
    return columns
