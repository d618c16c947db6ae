import uuid

import django_filters
from django import forms

from accounts.models import User

from .models import Customer

UNASSIGNED = "none"


class CustomerFilter(django_filters.FilterSet):
    """The customer list's query parameters: `q`, `status`, `assigned_to`, `sort`."""

    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.MultipleChoiceFilter(
        choices=Customer.Status.choices, widget=forms.SelectMultiple, distinct=False
    )
    assigned_to = django_filters.ChoiceFilter(
        method="filter_assigned_to", label="Counsellor", empty_label="Anyone"
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("phone_number", "phone"),
            ("area", "area"),
            ("date", "date"),
            ("status_rank", "status"),
            ("assigned_to__first_name", "assigned_to"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Customer
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_manager:
            # Counsellors only ever see their own customers: the filter would be noise.
            del self.filters["assigned_to"]
            return
        self.filters["assigned_to"].extra["choices"] = [(UNASSIGNED, "Unassigned")] + [
            (str(u.pk), u.display_name + ("" if u.is_active else " (inactive)"))
            for u in User.objects.counsellors()
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

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset.with_status_rank())
        # A stable order, so pages never repeat or skip rows when sort keys tie.
        ordering = [*queryset.query.order_by] or ["-created_at"]
        return queryset.order_by(*ordering, "-pk")
