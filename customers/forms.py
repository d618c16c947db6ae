from django import forms
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import User

from .models import Customer
from .phones import InvalidPhoneNumber, normalize_phone


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.display_name


def assignable_field(**kwargs):
    return CounsellorChoiceField(
        queryset=User.objects.assignable(), required=False, empty_label="Unassigned", **kwargs
    )


class CustomerForm(forms.ModelForm):
    """Everything about a customer except status and assignment, which have their own history."""

    class Meta:
        model = Customer
        fields = ["name", "phone_number", "area", "date", "remark", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"placeholder": "DD/MM/YYYY"}),
            "remark": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"phone_number": "Phone number", "notes": "Internal notes"}

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


class CounsellorCustomerForm(forms.ModelForm):
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
    status = forms.ChoiceField(choices=Customer.Status.choices)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Note",
        help_text="Why the status changed: what was said on the call.",
    )

    def __init__(self, *args, customer, **kwargs):
        self.customer = customer
        super().__init__(*args, initial={"status": customer.status}, **kwargs)

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.customer.status:
            raise forms.ValidationError(
                f"This customer is already “{self.customer.get_status_display()}”."
            )
        return status


class AssigneeRequiredMixin:
    """`assigned_to` = "" unassigns on purpose; a request without the field is malformed."""

    def clean(self):
        cleaned = super().clean()
        if self.is_bound and "assigned_to" not in self.data:
            raise forms.ValidationError("Choose a counsellor, or “Unassigned”.")
        return cleaned


class AssignForm(AssigneeRequiredMixin, forms.Form):
    assigned_to = assignable_field(label="Counsellor")


class BulkForm(forms.Form):
    """Rows picked on the list page, or every row matching the list's filter."""

    customer_ids = forms.ModelMultipleChoiceField(
        queryset=Customer.objects.none(), required=False, to_field_name="pk"
    )
    select_all = forms.BooleanField(required=False)
    query = forms.CharField(required=False)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_ids"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        picked_nothing = not cleaned.get("select_all") and not cleaned.get("customer_ids")
        if picked_nothing and "customer_ids" not in self.errors:
            raise forms.ValidationError("Select at least one customer first.")
        return cleaned


class BulkAssignForm(AssigneeRequiredMixin, BulkForm):
    assigned_to = assignable_field(label="Assign to")


class BulkStatusForm(BulkForm):
    status = forms.ChoiceField(choices=Customer.Status.choices)
    notes = forms.CharField(required=False, max_length=2000)
