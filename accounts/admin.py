from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from .audit import AuditedAdmin
from .models import AgencySettings, User


class StaffChangeForm(UserChangeForm):
    """The admin's user form keeps the team's rules: someone must stay a Sales Manager, and
    nobody switches themselves off."""

    request = None  # set by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        user, active = self.instance, cleaned.get("is_active", True)
        if self.request and user.pk == self.request.user.pk and not active:
            raise ValidationError("You cannot deactivate your own account.")
        leaving = (
            user.is_manager
            and user.is_active
            and (cleaned.get("role") != User.Role.MANAGER or not active)
        )
        if leaving:
            # The model's rule, under its row locks (the admin saves inside a transaction).
            user.refuse_if_last_active_manager()
        return cleaned


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = StaffChangeForm
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = BaseUserAdmin.fieldsets + (("Role", {"fields": ["role"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Role", {"fields": ["role"]}),)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        """Save the other fields, then change role and active flag through the User methods,
        so the admin ends sessions and records the change like the Team pages do."""
        if not change:
            return super().save_model(request, obj, form, change)
        role, active = obj.role, obj.is_active
        obj.role, obj.is_active = form.initial["role"], form.initial["is_active"]
        super().save_model(request, obj, form, change)
        obj.change_role(role, by=request.user)
        if active and not obj.is_active:
            obj.reactivate(by=request.user)
        elif obj.is_active and not active:
            obj.deactivate(by=request.user)


@admin.register(AgencySettings)
class AgencySettingsAdmin(AuditedAdmin, admin.ModelAdmin):
    """One row (the Team page's switches); never a second, never deleted."""

    list_display = ["__str__", "counsellors_may_export"]

    def has_add_permission(self, request):
        return not AgencySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
