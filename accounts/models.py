import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class UserQuerySet(models.QuerySet):
    def managers(self):
        return self.filter(role=User.Role.MANAGER)

    def counsellors(self):
        """Every Student Counsellor, active or not (lists filter by former staff too)."""
        return self.filter(role=User.Role.SALES)

    def active(self):
        return self.filter(is_active=True)

    def assignable(self):
        """Counsellors who can be given customers now."""
        return self.counsellors().active().order_by("first_name", "last_name", "username")


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
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_sales(self) -> bool:
        return self.role == self.Role.SALES
