from functools import wraps

from django.core.exceptions import PermissionDenied

from .audit import audit


def manager_required(view):
    """Let only Sales Managers through; everyone else gets 403 (and an audit line)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_manager:
            audit("permission.denied", request, reason="manager_required", view=view.__name__)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def export_allowed(view):
    """Let through whoever may export (see `User.may_export`); others get 403 and an audit line."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.may_export():
            audit("permission.denied", request, reason="export_not_allowed", view=view.__name__)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
