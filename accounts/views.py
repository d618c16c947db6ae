from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .audit import audit, person
from .decorators import manager_required
from .forms import (
    AgencySettingsForm,
    NewPasswordForm,
    NewTeamMemberForm,
    ProfileForm,
    TeamMemberForm,
)
from .models import AgencySettings, User


@manager_required
def team_list(request: HttpRequest) -> HttpResponse:
    team = (
        User.objects.manageable_by(request.user)
        .with_open_customer_count()
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    settings_form = AgencySettingsForm(instance=AgencySettings.current())
    return render(
        request, "accounts/team_list.html", {"team": team, "settings_form": settings_form}
    )


@require_POST
@manager_required
def team_settings(request: HttpRequest) -> HttpResponse:
    """Save the agency-wide switches shown on the Team page (who may export)."""
    with transaction.atomic():
        agency, _ = AgencySettings.objects.select_for_update().get_or_create(pk=1)
        form = AgencySettingsForm(request.POST, instance=agency)
        changed = form.is_valid() and form.has_changed()
        if changed:
            form.save()
    if changed:
        audit(
            "settings.changed",
            request,
            fields=form.changed_data,
            counsellors_may_export=agency.counsellors_may_export,
        )
    if agency.counsellors_may_export:
        messages.success(request, "Counsellors may now export their own customers.")
    else:
        messages.success(request, "Only managers may export customers now.")
    return redirect("team:list")


@manager_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = NewTeamMemberForm(request.POST or None)
    if form.is_valid():
        with transaction.atomic():
            member = form.save()
            member.record_change("Added.", by=request.user, flag=ADDITION)
        audit("user.created", request, **person(member, "member"), role=member.role)
        messages.success(
            request,
            f"{member} ({member.get_role_display()}) can now log in as “{member.username}”.",
        )
        return redirect("team:list")
    return render(request, "accounts/team_create.html", {"form": form})


@manager_required
def team_edit(request: HttpRequest, pk) -> HttpResponse:
    member = get_object_or_404(
        User.objects.manageable_by(request.user).with_open_customer_count(), pk=pk
    )
    form = TeamMemberForm(request.POST or None, instance=member)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                member.change_role(form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            form.add_error("role", error)
        else:
            if form.changed_data:
                audit(
                    "user.changed",
                    request,
                    **person(member, "member"),
                    fields=form.changed_data,
                    role=member.role,
                )
            if member.pk == request.user.pk and not member.is_manager:
                messages.success(request, "You are now a Student Counsellor.")
                return redirect("home")
            messages.success(request, f"Changes to {member} saved.")
            return redirect("team:list")
    context = {"form": form, "member": member}
    return render(request, "accounts/team_edit.html", context)


@require_POST
@manager_required
def team_deactivate(request: HttpRequest, pk) -> HttpResponse:
    member = get_object_or_404(User.objects.manageable_by(request.user), pk=pk)
    try:
        deactivated = member.deactivate(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if deactivated:
            audit("user.deactivated", request, **person(member, "member"))
            messages.success(
                request,
                f"{member} is deactivated and logged out everywhere. "
                "Their customers stay assigned to them until you reassign them.",
            )
        else:
            messages.info(request, f"{member} was already inactive.")
    return redirect("team:edit", pk=member.pk)


@require_POST
@manager_required
def team_reactivate(request: HttpRequest, pk) -> HttpResponse:
    member = get_object_or_404(User.objects.manageable_by(request.user), pk=pk)
    if member.reactivate(by=request.user):
        audit("user.reactivated", request, **person(member, "member"))
        messages.success(request, f"{member} is active again and can log in.")
    else:
        messages.info(request, f"{member} was already active.")
    return redirect("team:edit", pk=member.pk)


@manager_required
def team_set_password(request: HttpRequest, pk) -> HttpResponse:
    member = get_object_or_404(User.objects.manageable_by(request.user), pk=pk)
    form = NewPasswordForm(member, request.POST or None)
    if form.is_valid():
        member.set_new_password(form.cleaned_data["new_password1"], by=request.user)
        audit("user.password_set", request, **person(member, "member"))
        if member.pk == request.user.pk:
            # Keep the manager who set their own password here logged in.
            update_session_auth_hash(request, member)
            messages.success(request, "Your new password is in use from now on.")
        else:
            messages.success(
                request,
                f"New password set for {member}. They have been logged out everywhere; "
                "give them the new password.",
            )
        return redirect("team:edit", pk=member.pk)
    return render(request, "accounts/team_password.html", {"form": form, "member": member})


def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The login page again, saying why logging in is refused (django-axes' lockout response).

    The same for a username that exists and one that does not, so it tells nobody which
    usernames are real.
    """
    username = (credentials or {}).get("username") or ""
    form = AuthenticationForm(request, initial={"username": username})
    who = f" as “{username}”" if username else ""
    message = (
        f"Too many failed logins. Logging in{who} from your network is paused for "
        f"{settings.LOGIN_LOCKOUT_MINUTES} minutes. Wait, then try again. If you have forgotten "
        "your password, ask a Sales Manager to set a new one."
    )
    context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 page for a form without a valid CSRF token (CSRF_FAILURE_VIEW), audited."""
    audit("permission.denied", request, reason="csrf", detail=reason)
    return render(request, "403.html", {"csrf_failure": True}, status=403)
