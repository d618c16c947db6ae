from django import forms
from django.contrib import admin

from accounts.audit import AuditedAdmin

from .forms import CustomerForm
from .models import (
    Customer,
    CustomerAssignmentHistory,
    CustomerCount,
    CustomerNote,
    CustomerStatusHistory,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusHistoryInline(ReadOnlyInline):
    model = CustomerStatusHistory
    fields = ["changed_at", "previous_status", "new_status", "changed_by", "notes"]
    readonly_fields = fields


class AssignmentHistoryInline(ReadOnlyInline):
    model = CustomerAssignmentHistory
    fk_name = "customer"
    fields = ["changed_at", "previous_assignee", "new_assignee", "changed_by"]
    readonly_fields = fields


class CustomerAdminForm(forms.ModelForm):
    clean_phone_number = CustomerForm.clean_phone_number


@admin.register(Customer)
class CustomerAdmin(AuditedAdmin, admin.ModelAdmin):
    form = CustomerAdminForm
    list_display = ["name", "phone_number", "area", "date", "status", "assigned_to", "created_at"]
    list_filter = ["status", "assigned_to"]
    search_fields = ["name", "phone_number", "area"]
    list_select_related = ["assigned_to"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StatusHistoryInline, AssignmentHistoryInline]

    def save_model(self, request, obj, form, change):
        """Save the plain fields, then route status and assignment through their recorded paths."""
        new_status, new_assignee = obj.status, obj.assigned_to
        if change:
            obj.status = form.initial["status"]
            obj.assigned_to_id = form.initial["assigned_to"]
        else:
            obj.status, obj.assigned_to = Customer.Status.NEW, None
        super().save_model(request, obj, form, change)
        obj.change_status(new_status, by=request.user, note="Changed in the admin.")
        obj.assign_to(new_assignee, by=request.user)


class AuditAdmin(AuditedAdmin, admin.ModelAdmin):
    """History and notes are a record: readable in the admin, never added, edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustomerStatusHistory)
class CustomerStatusHistoryAdmin(AuditAdmin):
    list_display = ["customer", "previous_status", "new_status", "changed_by", "changed_at"]
    list_filter = ["new_status"]
    list_select_related = ["customer", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(CustomerAssignmentHistory)
class CustomerAssignmentHistoryAdmin(AuditAdmin):
    list_display = ["customer", "previous_assignee", "new_assignee", "changed_by", "changed_at"]
    list_select_related = ["customer", "previous_assignee", "new_assignee", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(CustomerNote)
class CustomerNoteAdmin(AuditAdmin):
    list_display = ["customer", "author", "created_at", "body"]
    list_select_related = ["customer", "author"]
    date_hierarchy = "created_at"


@admin.register(CustomerCount)
class CustomerCountAdmin(AuditAdmin):
    """The deltas the database triggers write (read-only: hand edits would falsify counts)."""

    list_display = ["assigned_to_id", "status", "stages", "n"]
    list_filter = ["status"]
