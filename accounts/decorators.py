from functools import wraps

from django.core.exceptions import PermissionDenied


def manager_required(view):
    """Let only Sales Managers through; everyone else gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_manager:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
