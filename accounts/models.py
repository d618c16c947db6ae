import uuid
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone


class UserQuerySet(models.QuerySet):
    def managers(self):
        return self.filter(role=User.Role.MANAGER)

    def counsellors(self):
        """Every Student Counsellor, active or not (lists filter by former staff too)."""
        return self.filter(role=User.Role.SALES)

    def holding_customers(self):
        """Counsellors, plus anyone else still assigned customers (e.g. a counsellor since made
        a manager), so their customers can always be listed and handed on."""
        # From the counts the database keeps, not a scan of every customer.
        counts = apps.get_model("customers", "CustomerCount").objects.exclude(assigned_to_id=None)
        holders = counts.values("assigned_to_id").annotate(held=Sum("n")).filter(held__gt=0)
        return self.filter(Q(role=User.Role.SALES) | Q(pk__in=holders.values("assigned_to_id")))

    def active(self):
        return self.filter(is_active=True)

    def assignable(self):
        """Counsellors who can be given customers now."""
        return self.counsellors().active().order_by("first_name", "last_name", "username")

    def manageable_by(self, user):
        """Who `user` may manage on the Team pages: superusers only by other superusers (a
        manager must not be able to take over an account with full admin rights)."""
        return self if user.is_superuser else self.filter(is_superuser=False)

    def with_open_customer_count(self):
        """Annotate `open_customer_count`: customers assigned to each user and not yet closed,
        from the counts the database keeps rather than a count of every customer."""
        # Imported here: customers depends on accounts, not the other way round.
        from customers.models import Customer, CustomerCount

        still_open = (
            CustomerCount.objects.filter(assigned_to_id=OuterRef("pk"))
            .exclude(status__in=Customer.FINAL_STATUSES)
            .order_by()
            .values("assigned_to_id")
            .annotate(open=Sum("n"))
            .values("open")
        )
        return self.annotate(open_customer_count=Coalesce(Subquery(still_open), 0))


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.MANAGER)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        MANAGER = "MANAGER", "Sales Manager"
        SALES = "SALES", "Student Counsellor"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SALES)

    objects = StaffUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def choice_label(self) -> str:
        """The name with the username beside it, so two people of one name are told apart in
        dropdowns and checkbox lists: "Arjun Menon (arjun)"."""
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_sales(self) -> bool:
        return self.role == self.Role.SALES

    def may_export(self) -> bool:
        """Managers always; counsellors (their own customers) when a manager allows it."""
        return self.is_manager or AgencySettings.current().counsellors_may_export

    def refuse_if_last_active_manager(self):
        """Raise ValidationError when nobody else could run the team; call inside a transaction.

        The active managers' rows stay locked until the transaction ends, so two managers
        demoting or deactivating each other at the same moment cannot both succeed.
        """
        managers = User.objects.managers().active().select_for_update().order_by("pk")
        if set(managers.values_list("pk", flat=True)) == {self.pk}:
            raise ValidationError(
                "This is the only active Sales Manager. Make someone else a Sales Manager first, "
                "so the team always has one."
            )

    def change_role(self, role, *, by) -> bool:
        """Make this user a manager or a counsellor and record it; no-op if unchanged."""
        role = self.Role(role)
        if role == self.role:
            return False
        with transaction.atomic():
            self.refuse_if_last_active_manager()
            old_label, self.role = self.get_role_display(), role
            self.save(update_fields=["role"])
            self.record_change(f"Role changed from {old_label} to {role.label}.", by=by)
        return True

    def deactivate(self, *, by) -> bool:
        """Lock the account and end its sessions at once; the customers stay assigned to it,
        for a manager to hand on. No-op if already inactive."""
        if self.pk == by.pk:
            raise ValidationError("You cannot deactivate your own account.")
        with transaction.atomic():
            self.refuse_if_last_active_manager()
            if not self.is_active:
                return False
            self.is_active = False
            self.save(update_fields=["is_active"])
            self.end_sessions()
            self.record_change("Deactivated.", by=by)
        return True

    def reactivate(self, *, by) -> bool:
        """Let the user log in again (with their old password); no-op if already active."""
        if self.is_active:
            return False
        with transaction.atomic():
            self.is_active = True
            self.save(update_fields=["is_active"])
            self.record_change("Reactivated.", by=by)
        return True

    def set_new_password(self, raw_password, *, by):
        """Replace the password for the user; every session they have open ends, because
        Django checks each session against a hash of the password."""
        with transaction.atomic():
            self.set_password(raw_password)
            self.save(update_fields=["password"])
            self.record_change("New password set.", by=by)

    def end_sessions(self):
        """Delete the saved sessions this user is logged in with.

        An inactive user is already refused on every request (ModelBackend.get_user), but the
        session would work again after a reactivation; deleting it makes deactivation final.
        Sessions are kept in the database with either SESSION_STORE (the "redis" store writes
        through to it), so this finds them there; deleting each through the session engine also
        drops a copy cached in Redis.
        """
        mine = str(self.pk)
        ended = [
            session.pk
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get(SESSION_KEY) == mine
        ]
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session_key in ended:
            store(session_key=session_key).delete()

    def record_change(self, message, *, by, flag=CHANGE):
        """Write the admin's audit row, shown on this user's History page in the admin."""
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[self], action_flag=flag, change_message=message
        )


class AgencySettings(models.Model):
    """Choices a manager makes for the whole agency, on the Team page: one row, pk 1."""

    counsellors_may_export = models.BooleanField(
        "Counsellors may export their customers",
        default=False,
        help_text="Off: only managers see the CSV and Excel export links.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "agency settings"

    def __str__(self):
        return "Agency settings"

    @classmethod
    def current(cls) -> "AgencySettings":
        """The settings as they stand (the defaults until a manager first saves them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
