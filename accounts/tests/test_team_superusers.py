"""A Sales Manager cannot manage a superuser's account from the Team pages (404)."""

import pytest

from accounts.models import User


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "a-long-root-pass-1947")


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/users/{pk}/edit/", {}),
        ("post", "/users/{pk}/deactivate/", {}),
        ("post", "/users/{pk}/reactivate/", {}),
        (
            "post",
            "/users/{pk}/password/",
            {"new_password1": "x-Monsoon-1947", "new_password2": "x-Monsoon-1947"},
        ),
    ],
)
def test_a_manager_cannot_reach_a_superuser(manager_client, root, method, path, data):
    response = getattr(manager_client, method)(path.format(pk=root.pk), data)

    assert response.status_code == 404
    root.refresh_from_db()
    assert root.is_active
    assert root.check_password("a-long-root-pass-1947")


def test_a_superuser_can_manage_another_superuser(client, root):
    other = User.objects.create_superuser("root2", "r2@example.com", "another-long-pass-1947")
    client.force_login(root)

    assert client.get(f"/users/{other.pk}/edit/").status_code == 200
