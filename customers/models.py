import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import normalize_newlines

from .phones import format_phone, search_digits
from .signals import assignment_changed, status_changed

CHUNK_SIZE = 1000


def chunks(items, size=CHUNK_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CustomerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers see every customer; counsellors only those assigned to them."""
        if user.is_manager:
            return self
        return self.filter(assigned_to=user)

    def with_status_rank(self):
        """Annotate `status_rank`, the status's place in the enrollment stages, for sorting."""
        stages = [
            models.When(status=value, then=models.Value(rank))
            for rank, value in enumerate(Customer.Status.values)
        ]
        return self.annotate(status_rank=models.Case(*stages, output_field=models.IntegerField()))

    def unassigned(self):
        return self.filter(assigned_to__isnull=True)

    def search(self, query: str):
        """Match name, area or phone; phone matches however the number is typed."""
        query = query.strip()
        if not query:
            return self
        matches = Q(name__icontains=query) | Q(area__icontains=query)
        digits = search_digits(query)
        if len(digits) >= 3:
            matches |= Q(phone_number__contains=digits)
        return self.filter(matches)

    def change_status(self, new_status, *, by, note="") -> int:
        """Set the status of every customer here and record each real change; return how many."""
        changed = 0
        with transaction.atomic():
            pks = self.exclude(status=new_status).order_by().values("pk")
            rows = (
                Customer.objects.filter(pk__in=pks).select_for_update().values_list("pk", "status")
            )
            for chunk in chunks(list(rows)):
                Customer.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
                    status=new_status, updated_at=timezone.now()
                )
                status_changed.send(
                    sender=Customer, transitions=chunk, new_status=new_status, by=by, note=note
                )
                changed += len(chunk)
        return changed

    def assign_to(self, assignee, *, by) -> int:
        """Give every customer here to `assignee` (None unassigns) and record each real change."""
        changed = 0
        with transaction.atomic():
            rows = (
                self.exclude(assigned_to=assignee) if assignee else self.exclude(assigned_to=None)
            )
            rows = (
                Customer.objects.filter(pk__in=rows.order_by().values("pk"))
                .select_for_update()
                .values_list("pk", "assigned_to_id")
            )
            for chunk in chunks(list(rows)):
                Customer.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
                    assigned_to=assignee, updated_at=timezone.now()
                )
                assignment_changed.send(
                    sender=Customer, transitions=chunk, new_assignee=assignee, by=by
                )
                changed += len(chunk)
        return changed


class Customer(models.Model):
    class Status(models.TextChoices):
        NEW = "NEW", "New"
        INVALID = "INVALID", "Invalid"
        VALID = "VALID", "Valid"
        CALL_NOT_ATTENDED = "CALL_NOT_ATTENDED", "Call Not Attended"
        PLAN_PRESENTED = "PLAN_PRESENTED", "Plan Presented"
        INTERESTED = "INTERESTED", "Interested"
        NOT_INTERESTED = "NOT_INTERESTED", "Not Interested"
        FOLLOW_UP = "FOLLOW_UP", "Follow Up"
        SHORTLISTED = "SHORTLISTED", "Shortlisted"
        CAMPUS_VISIT = "CAMPUS_VISIT", "Campus Visit"
        REGISTRATION = "REGISTRATION", "Registration"
        ADMISSION = "ADMISSION", "Admission"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, blank=True)
    phone_number = models.CharField(
        max_length=20, unique=True, help_text="Stored in E.164 form, e.g. +919876543210."
    )
    area = models.CharField(max_length=120, blank=True)
    date = models.DateField("enquiry date", null=True, blank=True)
    remark = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return self.name or self.display_phone

    def clean(self):
        # Browsers send textarea line breaks as CRLF; store LF so exports and imports agree.
        for name in ("name", "area", "remark", "notes"):
            setattr(self, name, normalize_newlines(getattr(self, name)))

    @property
    def display_phone(self) -> str:
        return format_phone(self.phone_number)

    @property
    def whatsapp_url(self) -> str:
        return f"https://wa.me/{self.phone_number.lstrip('+')}"

    def change_status(self, new_status, *, by, note=""):
        """Set the status and record the transition; do nothing when it is unchanged."""
        if new_status == self.status:
            return False
        old_status, self.status = self.status, new_status
        with transaction.atomic():
            self.save(update_fields=["status", "updated_at"])
            status_changed.send(
                sender=Customer,
                transitions=[(self.pk, old_status)],
                new_status=new_status,
                by=by,
                note=note,
            )
        return True

    def assign_to(self, assignee, *, by):
        """Give this customer to `assignee` (None unassigns) and record it; no-op if unchanged."""
        if assignee == self.assigned_to:
            return False
        old_assignee_id, self.assigned_to = self.assigned_to_id, assignee
        with transaction.atomic():
            self.save(update_fields=["assigned_to", "updated_at"])
            assignment_changed.send(
                sender=Customer,
                transitions=[(self.pk, old_assignee_id)],
                new_assignee=assignee,
                by=by,
            )
        return True

    def timeline(self):
        """Status and assignment changes, newest first."""
        events = [
            *self.status_history.select_related("changed_by"),
            *self.assignment_history.select_related(
                "changed_by", "previous_assignee", "new_assignee"
            ),
        ]
        return sorted(events, key=lambda event: event.changed_at, reverse=True)


class CustomerStatusHistory(models.Model):
    kind = "status"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="status_history")
    previous_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    new_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name_plural = "customer status history"
        indexes = [models.Index(fields=["customer", "-changed_at"])]

    def __str__(self):
        return f"{self.previous_status} → {self.new_status}"


class CustomerAssignmentHistory(models.Model):
    kind = "assignment"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assignment_history"
    )
    previous_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name_plural = "customer assignment history"
        indexes = [models.Index(fields=["customer", "-changed_at"])]

    def __str__(self):
        return f"{self.previous_assignee} → {self.new_assignee}"
