"""Custom signals for customer state changes.

Sent explicitly by `Customer.change_status` / `Customer.assign_to` and their QuerySet twins, with
everything a receiver needs, the way `django.contrib.auth` sends `user_logged_in`.
"""

from django.dispatch import Signal

# transitions: list of (customer_id, previous_status); new_status, by, note, and call_outcome
# when the note reports a call (`Customer.record_call`)
status_changed = Signal()

# transitions: list of (customer_id, previous_assignee_id); new_assignee, by
assignment_changed = Signal()
