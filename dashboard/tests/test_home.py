"""The site root sends every role to the dashboard."""

import pytest


@pytest.mark.parametrize("persona", ["manager", "counsellor"])
def test_root_redirects_to_the_dashboard(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/dashboard/")


def test_anonymous_visitor_at_the_root_is_asked_to_log_in(client):
    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
