import uuid

import django_filters
from django import forms
from django.db.models import F

from accounts.models import User

from .models import Customer, CustomerCount

UNASSIGNED = "none"
EMPTY = (None, "", [], ())
EXTRA_FILTERS = (
    "assigned",
    "area",
    "open",
    "contacted",
    "created_after",
    "created_before",
    "enquiry_after",
    "enquiry_before",
    "reached",
    "ever_reached",
    "moved_by",
    "changed_after",
    "changed_before",
)


class StatusesField(forms.MultipleChoiceField):
    """The statuses asked for; the filter bar's "Any status" sends `status=`, which asks none."""

    def to_python(self, value):
        return [status for status in super().to_python(value) if status]


class StatusFilter(django_filters.MultipleChoiceFilter):
    field_class = StatusesField


class CustomerOrdering(django_filters.OrderingFilter):
    """The list's sorts. `follow_up` is what is due first: overdue, today's (by time),
    upcoming, then customers with none, newest first; reversed, the other way round."""

    def filter(self, qs, value):
        if value in EMPTY:
            return qs
        return qs.order_by(*[key for param in value if param for key in self.keys(param)])

    def keys(self, param) -> list:
        if param.removeprefix("-") != "follow_up":
            return [self.get_ordering_value(param)]
        keys = [F("follow_up_on"), F("follow_up_time")]
        if param.startswith("-"):
            return [*(key.desc(nulls_first=True) for key in keys), F("created_at").asc()]
        return [*(key.asc(nulls_last=True) for key in keys), F("created_at").desc()]


class CustomerFilter(django_filters.FilterSet):
    """The customer list's query parameters. Dashboard numbers link here, so each number has
    a filter that selects exactly the customers it counts. Dates are inclusive and local."""

    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = StatusFilter(
        choices=Customer.Status.choices, widget=forms.SelectMultiple, distinct=False
    )
    assigned_to = django_filters.ChoiceFilter(
        method="filter_assigned_to", label="Counsellor", empty_label="Anyone"
    )
    assigned = django_filters.BooleanFilter(
        field_name="assigned_to", lookup_expr="isnull", exclude=True, label="Assigned"
    )
    area = django_filters.CharFilter(field_name="area", lookup_expr="iexact", label="Area")
    open = django_filters.BooleanFilter(method="filter_open", label="Still open")
    contacted = django_filters.BooleanFilter(method="filter_contacted", label="Contacted")
    follow_up = django_filters.ChoiceFilter(
        method="filter_follow_up",
        choices=[
            ("overdue", "Overdue"),
            ("today", "Due today"),
            ("upcoming", "Upcoming"),
            ("none", "None planned"),
        ],
        label="Follow-up",
        empty_label="Any follow-up",
    )
    created_after = django_filters.DateFilter(
        field_name="created_at__date", lookup_expr="gte", label="Added from"
    )
    created_before = django_filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", label="Added until"
    )
    enquiry_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="Enquiry from"
    )
    enquiry_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="Enquiry until"
    )
    # "Reached a stage" and "moved by a counsellor", optionally within a period.
    reached = django_filters.ChoiceFilter(
        choices=Customer.Status.choices, method="filter_reached", label="Reached"
    )
    # The enrollment funnel's stages: the history shows a move there, or the customer is there
    # now (imported at that stage, say); with no period, as the funnel counts them.
    ever_reached = django_filters.ChoiceFilter(
        choices=Customer.Status.choices, method="filter_ever_reached", label="Ever reached"
    )
    moved_by = django_filters.UUIDFilter(method="filter_moved_by", label="Status changed by")
    changed_after = django_filters.DateFilter(method="filter_period_bound", label="Changed from")
    changed_before = django_filters.DateFilter(method="filter_period_bound", label="Changed until")
    sort = CustomerOrdering(
        fields=(
            ("name", "name"),
            ("phone_number", "phone"),
            ("area", "area"),
            ("date", "date"),
            ("status_rank", "status"),
            ("assignee_name", "assigned_to"),
            ("created_at", "created"),
            ("updated_at", "updated"),
            ("follow_up_on", "follow_up"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Customer
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_manager:
            # Counsellors only ever see their own customers: the filter would be noise.
            del self.filters["assigned_to"]
            return
        self.filters["assigned_to"].extra["choices"] = [(UNASSIGNED, "Unassigned")] + [
            (str(u.pk), u.choice_label + ("" if u.is_active else " (inactive)"))
            for u in User.objects.holding_customers()
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_assigned_to(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.unassigned()
        try:
            return queryset.filter(assigned_to_id=uuid.UUID(value))
        except ValueError:
            return queryset.none()

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.filter(status__in=Customer.FINAL_STATUSES)

    def filter_contacted(self, queryset, name, value):
        return queryset.exclude(status=Customer.Status.NEW) if value else queryset.not_contacted()

    def filter_follow_up(self, queryset, name, value):
        if value == "none":
            return queryset.open().filter(follow_up_on__isnull=True)
        return {
            "overdue": queryset.follow_up_overdue,
            "today": queryset.follow_up_due_today,
            "upcoming": queryset.follow_up_upcoming,
        }[value]()

    def period(self):
        data = self.form.cleaned_data
        return data.get("changed_after"), data.get("changed_before")

    def filter_reached(self, queryset, name, value):
        return queryset.reached(value, *self.period())

    def filter_ever_reached(self, queryset, name, value):
        return queryset.ever_reached(value)

    def filter_moved_by(self, queryset, name, value):
        return queryset.moved_by(value, *self.period())

    def filter_period_bound(self, queryset, name, value):
        return queryset  # read by filter_reached and filter_moved_by

    def kept_count(self) -> int | None:
        """How many customers match, from the counts the database keeps, when the filter asks
        only for statuses and a counsellor (or nothing); None when it must be counted."""
        if not self.is_bound or not self.form.is_valid():
            return None
        asked = {name for name, value in self.form.cleaned_data.items() if value not in EMPTY}
        if asked - {"status", "assigned_to", "sort"}:
            return None
        statuses = set(self.form.cleaned_data.get("status") or Customer.Status.values)
        assignee = self.form.cleaned_data.get("assigned_to") or None
        if not self.user.is_manager:
            assignee = str(self.user.pk)
        matches = 0
        for assigned_to_id, status, _, n in CustomerCount.objects.current():
            owner = str(assigned_to_id) if assigned_to_id else UNASSIGNED
            if status in statuses and assignee in (None, owner):
                matches += n
        return matches

    def active_extras(self):
        """(name, label, value) of active filters the filter bar does not show, e.g. those a
        dashboard link sets; the list shows them as chips and keeps them while filtering."""
        if not self.is_bound or not self.form.is_valid():
            return []
        extras = []
        for name in EXTRA_FILTERS:
            value = self.form.cleaned_data.get(name)
            if value in EMPTY:
                continue
            field = self.form.fields[name]
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            elif hasattr(field, "choices"):
                value = dict(field.choices).get(value, value)
            elif name == "moved_by":
                value = User.objects.filter(pk=value).first() or value
            extras.append((name, field.label, value))
        return extras

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset.with_status_rank())
        # A stable order, so pages never repeat or skip rows when sort keys tie: the primary
        # key breaks ties in the sort's own direction, so one (column, id) index serves both.
        if not queryset.query.order_by:
            queryset = self.filters["sort"].filter(queryset, [self.default_sort()])
        ordering = [*queryset.query.order_by]
        first = ordering[0]
        descending = getattr(first, "descending", str(first).startswith("-"))
        return queryset.order_by(*ordering, "-pk" if descending else "pk")

    def default_sort(self) -> str:
        """Without a `sort`: a counsellor's own list puts what is due first, overdue at the
        top; everyone else's, the newest customers."""
        return "-created" if self.user.is_manager else "follow_up"
