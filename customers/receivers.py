"""The one place that turns state-change signals into history rows."""

from django.dispatch import receiver
from django.utils import timezone

from .models import CustomerAssignmentHistory, CustomerNote, CustomerStatusHistory
from .signals import assignment_changed, status_changed

BATCH_SIZE = 1000


@receiver(status_changed, dispatch_uid="customers.record_status_change")
def record_status_change(sender, transitions, new_status, by, note="", call_outcome="", **kwargs):
    """One history row per change; its note also joins the customer's list of notes (marked
    with the call it reports, if any)."""
    changed_at = timezone.now()
    rows = CustomerStatusHistory.objects.bulk_create(
        [
            CustomerStatusHistory(
                customer_id=customer_id,
                previous_status=previous_status,
                new_status=new_status,
                changed_by=by,
                changed_at=changed_at,
                notes=note,
            )
            for customer_id, previous_status in transitions
        ],
        batch_size=BATCH_SIZE,
    )
    if note:
        CustomerNote.objects.bulk_create(
            [
                CustomerNote(
                    customer_id=row.customer_id,
                    author=by,
                    body=note,
                    created_at=changed_at,
                    status_change=row,
                    call_outcome=call_outcome,
                )
                for row in rows
            ],
            batch_size=BATCH_SIZE,
        )


@receiver(assignment_changed, dispatch_uid="customers.record_assignment_change")
def record_assignment_change(sender, transitions, new_assignee, by, **kwargs):
    changed_at = timezone.now()
    CustomerAssignmentHistory.objects.bulk_create(
        [
            CustomerAssignmentHistory(
                customer_id=customer_id,
                previous_assignee_id=previous_assignee_id,
                new_assignee=new_assignee,
                changed_by=by,
                changed_at=changed_at,
            )
            for customer_id, previous_assignee_id in transitions
        ],
        batch_size=BATCH_SIZE,
    )
