import hashlib

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import User

from . import dates
from .filters import CustomerFilter
from .models import Customer, next_call
from .phones import InvalidPhoneNumber, normalize_phone

# Far longer than any filter the list page builds; far shorter than a redirect may be.
QUERY_MAX_LENGTH = 8000


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.choice_label


def fingerprint(*values) -> str:
    """A short digest of values as a page showed them, to tell later whether they changed."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


CHANGED_MEANWHILE = (
    "Someone else saved changes to this customer after you opened this page. Save again to "
    "replace them with yours, or open the customer in another tab to see what they wrote."
)


class UnchangedSinceShown(forms.ModelForm):
    """Refuses to save over changes someone else made after this page was shown (optimistic
    concurrency): the page carries a fingerprint of the form's fields as they were, and the
    save is refused, with a message, when the customer's no longer match it. Saving again
    after the message is a deliberate choice."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = self.current()

    def current(self) -> str:
        return fingerprint(*(getattr(self.instance, name) for name in self._meta.fields))

    def clean(self):
        cleaned = super().clean()
        seen, now = cleaned.get("seen"), self.current()
        if seen and not self.instance._state.adding and seen != now:
            self.data = self.data.copy()
            self.data["seen"] = now  # shown again: the next save is made knowing
            raise forms.ValidationError(CHANGED_MEANWHILE)
        return cleaned


def assignable_field(**kwargs):
    return CounsellorChoiceField(
        queryset=User.objects.assignable(), required=False, empty_label="Unassigned", **kwargs
    )


class CustomerForm(UnchangedSinceShown):
    """Everything about a customer except status and assignment, which have their own history."""

    class Meta:
        model = Customer
        fields = ["name", "phone_number", "area", "date", "remark", "notes"]
        field_classes = {"date": dates.DateField}
        widgets = {
            "remark": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"phone_number": "Phone number", "notes": "Internal notes"}

    def __init__(self, *args, user=None, **kwargs):
        # Who fills the form in: a duplicate phone is described only as far as they may see.
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_phone_number(self):
        try:
            phone = normalize_phone(self.cleaned_data["phone_number"])
        except InvalidPhoneNumber as error:
            raise forms.ValidationError(str(error)) from None
        existing = (
            Customer.objects.filter(phone_number=phone)
            .exclude(pk=self.instance.pk)
            .select_related("assigned_to")
            .first()
        )
        # The admin's form borrows this method and has no user: admins see everything.
        user = getattr(self, "user", None)
        if existing and user is not None and not user.is_manager and existing.assigned_to != user:
            raise forms.ValidationError(
                "This number is already in the system. Ask a manager about it before adding "
                "the customer again."
            )
        if existing:
            owner = existing.assigned_to.display_name if existing.assigned_to else "nobody yet"
            raise forms.ValidationError(
                format_html(
                    'This number already belongs to <a href="{}">{}</a> (assigned to {}).',
                    reverse("customers:detail", args=[existing.pk]),
                    existing,
                    owner,
                )
            )
        return phone


class NewCustomerForm(CustomerForm):
    assigned_to = assignable_field(label="Assign to")


class WalkInForm(CustomerForm):
    """A customer a counsellor adds themselves (a walk-in or a call): theirs, so no assignee."""


class CounsellorCustomerForm(UnchangedSinceShown):
    """What a counsellor may edit on their own customer."""

    class Meta:
        model = Customer
        fields = ["remark", "notes"]
        widgets = {
            "remark": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"notes": "Internal notes"}


class StatusForm(forms.Form):
    """What a counsellor records after a call: status, a note, and when to call next."""

    status = forms.ChoiceField(choices=Customer.Status.choices, label="Status after the call")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Note",
        help_text="What was said on the call.",
    )
    follow_up_on = dates.DateField(
        required=False,
        label="Next follow-up",
        help_text=f"{dates.DATE_HINT}. Needed for Follow Up and Call Not Attended.",
    )
    # Not "(optional)" above it: some statuses need it (clean() says which).
    follow_up_on.required_for_some = True
    follow_up_time = dates.TimeField(
        required=False, label="at", help_text=f"{dates.TIME_HINT}, 24-hour clock."
    )
    # The follow-up the page showed: one planned by someone else meanwhile is not overwritten
    # silently (follow-up dates have no history to show it).
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, customer, **kwargs):
        self.customer = customer
        initial = {
            "status": customer.status,
            "follow_up_on": customer.follow_up_on,
            "follow_up_time": customer.follow_up_time,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["seen"].initial = self.planned()

    def planned(self) -> str:
        """The follow-up as it is now, as a fingerprint."""
        return fingerprint(self.customer.follow_up_on, self.customer.follow_up_time)

    def clean_follow_up_on(self):
        follow_up_on = self.cleaned_data["follow_up_on"]
        if (
            follow_up_on
            and follow_up_on < timezone.localdate()
            and follow_up_on != (self.customer.follow_up_on)
        ):
            raise forms.ValidationError("The follow-up date is in the past.")
        return follow_up_on

    def clean(self):
        cleaned = super().clean()
        status, follow_up_on = cleaned.get("status"), cleaned.get("follow_up_on")
        if status is None:
            return cleaned
        if cleaned.get("follow_up_time") and not follow_up_on and "follow_up_on" not in self.errors:
            self.add_error("follow_up_on", "Choose the date for that follow-up time.")
        if status in Customer.FOLLOW_UP_REQUIRED and not follow_up_on:
            if "follow_up_on" not in self.errors:
                self.add_error(
                    "follow_up_on",
                    f"Choose when to call again: “{Customer.Status(status).label}” needs a "
                    "follow-up date.",
                )
        seen, now = cleaned.get("seen"), self.planned()
        moved = (follow_up_on, cleaned.get("follow_up_time")) != (
            self.customer.follow_up_on,
            self.customer.follow_up_time,
        )
        if seen and seen != now and moved and not self.errors:
            self.data = self.data.copy()
            self.data["seen"] = now
            when = self.customer.follow_up_on
            raise forms.ValidationError(
                "Someone changed the follow-up after you opened this page: it is now "
                + (when.strftime("%d/%m/%Y") if when else "not planned")
                + ". Check the date and save again."
            )
        unchanged = (
            status == self.customer.status
            and not cleaned.get("notes")
            and (follow_up_on, cleaned.get("follow_up_time"))
            == (self.customer.follow_up_on, self.customer.follow_up_time)
        )
        if unchanged and not self.errors:
            raise forms.ValidationError(
                f"Nothing to save: the customer is already “{self.customer.get_status_display()}”."
                " Change the status, write a note or set a new follow-up date."
            )
        return cleaned


# A call that got through moves the customer on: not back to New, nor to "nobody answered".
CONNECTED_STATUSES = [
    (value, label)
    for value, label in Customer.Status.choices
    if value not in (Customer.Status.NEW, Customer.Status.CALL_NOT_ATTENDED)
]


class CallOutcomeForm(forms.Form):
    """How a call went, recorded from a My day card or a list row without opening the customer.
    Unanswered calls and wrong numbers take one tap; a connected call needs a status and a note.
    The next call starts at the next working day at this time, and can be changed."""

    outcome = forms.ChoiceField(
        choices=Customer.CallOutcome.choices,
        error_messages={"required": "Choose how the call went."},
    )
    # No default: a status is only ever set because someone chose it.
    status = forms.ChoiceField(
        choices=[("", "Choose…"), *CONNECTED_STATUSES], required=False, label="Status now"
    )
    note = forms.CharField(
        required=False, max_length=2000, label="Note", widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = dates.DateField(required=False, label="Next call")
    follow_up_time = dates.TimeField(required=False, label="at")
    # The page to go back to without JavaScript (checked by the view before redirecting).
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    connected = Customer.CallOutcome.CONNECTED

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day, at = next_call(timezone.localtime())
        self.fields["follow_up_on"].initial = day
        self.fields["follow_up_time"].initial = at

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Customer.CallOutcome.WRONG_NUMBER:
            return cleaned  # it ends the lead: no next call to check
        follow_up_on, status = cleaned.get("follow_up_on"), cleaned.get("status")
        if outcome == Customer.CallOutcome.CONNECTED:
            if not status:
                self.add_error("status", "Choose the status after the call.")
            if not cleaned.get("note"):
                self.add_error("note", "Write what was said on the call.")
            if status in Customer.FOLLOW_UP_REQUIRED and not follow_up_on:
                self.add_error(
                    "follow_up_on",
                    f"Choose when to call again: “{Customer.Status(status).label}” needs a "
                    "follow-up date.",
                )
        if follow_up_on and follow_up_on < timezone.localdate():
            self.add_error("follow_up_on", "The next call's date is in the past.")
        elif cleaned.get("follow_up_time") and not (follow_up_on or self.has_error("follow_up_on")):
            self.add_error("follow_up_on", "Choose the date for that time.")
        return cleaned


class AssigneeRequiredMixin:
    """`assigned_to` = "" unassigns on purpose; a request without the field is malformed."""

    def clean(self):
        cleaned = super().clean()
        if self.is_bound and "assigned_to" not in self.data:
            raise forms.ValidationError("Choose a counsellor, or “Nobody (unassign)”.")
        return cleaned


class AssignForm(AssigneeRequiredMixin, forms.Form):
    assigned_to = assignable_field(label="Counsellor")


class BulkForm(forms.Form):
    """Rows picked on the list page, or every row matching the list's filter."""

    customer_ids = forms.ModelMultipleChoiceField(
        queryset=Customer.objects.none(), required=False, to_field_name="pk"
    )
    select_all = forms.BooleanField(required=False)
    # The list's query string, sent back as it came (not stripped): the view redirects to it,
    # and Django refuses a redirect longer than 16,384 characters after the action was saved.
    query = forms.CharField(required=False, strip=False, max_length=QUERY_MAX_LENGTH)

    def __init__(self, *args, queryset, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_ids"].queryset = queryset
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("select_all"):
            params = QueryDict(cleaned.get("query", ""))
            matching = CustomerFilter(params, queryset=Customer.objects.none(), user=self.user)
            unknown = set(params) - set(matching.filters) - {"page"}
            if unknown or not matching.is_valid():
                # django-filter would drop the bad part and widen the action to more customers.
                raise forms.ValidationError(
                    "The filter behind “all matching” is no longer valid, so nothing was "
                    "changed. Filter the list again and repeat the action."
                )
        picked_nothing = not cleaned.get("select_all") and not cleaned.get("customer_ids")
        if picked_nothing and "customer_ids" not in self.errors:
            raise forms.ValidationError("Select at least one customer first.")
        return cleaned


class BulkAssignForm(AssigneeRequiredMixin, BulkForm):
    assigned_to = assignable_field(label="Assign to")


class BulkStatusForm(BulkForm):
    # No default on the page: a status is only ever set because someone chose it.
    status = forms.ChoiceField(
        choices=Customer.Status.choices,
        error_messages={"required": "Choose the status to move the selected customers to."},
    )
    notes = forms.CharField(required=False, max_length=2000)
    follow_up_on = dates.DateField(required=False)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        follow_up_on = cleaned.get("follow_up_on")
        if status in Customer.FOLLOW_UP_REQUIRED and not follow_up_on:
            raise forms.ValidationError(
                f"“{Customer.Status(status).label}” needs a follow-up date: choose one."
            )
        if follow_up_on and follow_up_on < timezone.localdate():
            raise forms.ValidationError("The follow-up date is in the past.")
        return cleaned


class CounsellorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "invalid_choice": "One of the chosen counsellors can no longer receive customers "
        "(deactivated, or no longer a counsellor): choose again.",
    }

    def label_from_instance(self, user):
        return user.choice_label


def counsellors_field(**kwargs):
    return CounsellorsField(queryset=User.objects.assignable(), **kwargs)


class DistributeForm(BulkForm):
    """Spread the picked customers over chosen counsellors, lightest open load first."""

    counsellors = counsellors_field(label="Share between", required=False)
    confirm = forms.BooleanField(required=False)


class ReassignAllForm(forms.Form):
    """Hand every open customer of one counsellor to others (when someone leaves)."""

    from_counsellor = CounsellorChoiceField(
        queryset=User.objects.holding_customers(),
        label="Move the open customers of",
        empty_label="Choose a counsellor…",
    )
    counsellors = counsellors_field(label="To", required=False)
    confirm = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        leaving, targets = cleaned.get("from_counsellor"), cleaned.get("counsellors")
        if leaving and targets and leaving in targets:
            raise forms.ValidationError(
                f"{leaving.display_name} cannot receive their own customers: untick them."
            )
        return cleaned
