"""The audit trail: one JSON line on stdout per security-relevant event.

Views call `audit(event, request, **fields)` explicitly after the thing happened; logins,
failed logins and lockouts arrive through Django's and django-axes' signals (receivers below,
connected in `AccountsConfig.ready`). Every line names the user and the client address (the
same proxy-aware address as the login lockout). Passwords are never passed in, and anything
that looks like a phone number is masked to its last four digits wherever it appears.

Imported while logging is configured (for `JsonFormatter`), so no models at module level.
"""

import json
import logging
import re
from datetime import UTC, datetime

from django.conf import settings

from .addresses import client_address

logger = logging.getLogger("cms.audit")

# Seven or more digits, possibly with a leading + and spaces or hyphens between them: a phone
# number as stored (+919876543210) or typed (98765 43210). Not inside a longer word or a
# hyphenated id, and ids and addresses are never masked (see `masked`).
PHONE_LIKE = re.compile(r"(?<![\w-])\+?\d(?:[ -]?\d){6,}(?![\w-])")
UNMASKED_KEYS = ("id", "ids", "address")


def mask_phone(text: str) -> str:
    """+919876543210 -> +91******3210: the country code and the last four digits stay."""
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return f"+{digits[:2]}{'*' * (len(digits) - 6)}{digits[-4:]}"
    return f"{'*' * (len(digits) - 4)}{digits[-4:]}"


def mask_phones(text: str) -> str:
    return PHONE_LIKE.sub(lambda match: mask_phone(match.group()), text)


def masked(value, key: str = ""):
    """The value with every phone-like run of digits masked, through lists and dicts."""
    if key.endswith(UNMASKED_KEYS):
        return value
    if isinstance(value, str):
        return mask_phones(value)
    if isinstance(value, dict):
        return {k: masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item, key) for item in value]
    return value


def audit(event: str, request=None, *, user=None, **fields) -> None:
    """Log one audit event; `user` defaults to the request's logged-in user."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    record = {
        "event": event,
        "user_id": str(user.pk) if user is not None and user.pk else None,
        "username": user.get_username() if user is not None and user.pk else None,
        "address": client_address(request) if request is not None else None,
        "path": request.path if request is not None else None,
    }
    for key, value in fields.items():
        record[key] = masked(value, key)
    logger.info(event, extra={"audit": record})


def person(user, role: str) -> dict:
    """Audit fields naming someone an action was about: `<role>_id`, `<role>_username`."""
    return {
        f"{role}_id": str(user.pk) if user else None,
        f"{role}_username": user.get_username() if user else None,
    }


def share_out(shared: dict) -> dict:
    """Audit fields for customers shared between people: how many, and how many to whom."""
    return {
        "count": sum(shared.values()),
        "assignees": {user.get_username(): n for user, n in shared.items() if n},
    }


class AuditedAdmin:
    """A ModelAdmin mixin: every addition, change and deletion made in the Django admin writes
    one audit line, as the rest of the project does. Django calls `log_addition` and
    `log_change` once per object saved (forms and the changelist's editable rows alike); the
    deletions are written after they happened, one line per delete, however many rows."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit("admin.added", request, **admin_object(obj))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit("admin.changed", request, **admin_object(obj), fields=changed_fields(message))
        return entry

    def delete_model(self, request, obj):
        about = admin_object(obj)
        super().delete_model(request, obj)
        audit("admin.deleted", request, **about)

    def delete_queryset(self, request, queryset):
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        audit(
            "admin.deleted",
            request,
            model=queryset.model._meta.label,
            object_ids=ids,
            count=len(ids),
        )


def admin_object(obj) -> dict:
    return {"model": obj._meta.label, "object_id": str(obj.pk)}


def changed_fields(message) -> list[str]:
    """The field names in the admin's change message (a list of {"changed": {...}} parts)."""
    if not isinstance(message, list):
        return []
    return [
        name
        for part in message
        if isinstance(part, dict)
        for name in part.get("changed", {}).get("fields", [])
    ]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: the time, then the fields `audit()` put on the record."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")}
        line.update(getattr(record, "audit", None) or {"event": record.getMessage()})
        return json.dumps(line, ensure_ascii=False, default=str)


# --- Receivers for login signals (connected in AccountsConfig.ready) ----------------------------

# Usernames are at most 150 characters; anything typed beyond that is not worth a log line.
TYPED_USERNAME_KEPT = 150


def shortened(typed: str | None) -> str | None:
    if typed and len(typed) > TYPED_USERNAME_KEPT:
        return typed[:TYPED_USERNAME_KEPT] + "…"
    return typed


def logged_in(sender, request, user, **kwargs):
    audit("login", request, user=user)


def login_failed(sender, credentials, request=None, **kwargs):
    """Only the username typed: Django has already blanked the password in `credentials`."""
    audit(
        "login.failed",
        request,
        attempted_username=shortened(credentials.get("username")),
        locked_out=bool(getattr(request, "axes_locked_out", False)),
    )


def locked_out(sender, request, username, ip_address, **kwargs):
    audit(
        "login.locked_out",
        request,
        attempted_username=shortened(username),
        failure_limit=settings.AXES_FAILURE_LIMIT,
        lockout_minutes=settings.LOGIN_LOCKOUT_MINUTES,
    )
