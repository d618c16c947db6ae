"""@manager_required: Sales Managers pass, everyone else gets 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from accounts.decorators import manager_required


@manager_required
def manager_only_page(request):
    """A page only managers may open."""
    return HttpResponse("for managers")


def test_manager_passes_through(rf, manager):
    request = rf.get("/")
    request.user = manager

    response = manager_only_page(request)

    assert (response.status_code, response.content) == (200, b"for managers")


def test_counsellor_is_refused_with_permission_denied(rf, counsellor):
    request = rf.get("/")
    request.user = counsellor

    with pytest.raises(PermissionDenied):
        manager_only_page(request)


def test_decorated_view_keeps_its_name_and_docstring():
    assert manager_only_page.__name__ == "manager_only_page"
    assert manager_only_page.__doc__ == "A page only managers may open."


def test_counsellor_gets_a_403_page_from_a_manager_only_url(counsellor_client):
    response = counsellor_client.get("/customers/reassign/")

    assert response.status_code == 403
