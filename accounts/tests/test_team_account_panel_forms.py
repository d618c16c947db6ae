"""The team page's Deactivate and Reactivate buttons, pressed as rendered (WebTest, CSRF on).

The account panel is included `with ... only`; without the token passed in, both forms rendered
no CSRF token and every press answered 403.
"""


def test_manager_deactivates_a_counsellor_from_the_team_page(app, manager, counsellor):
    page = app.get(f"/users/{counsellor.pk}/edit/", user=manager)

    response = page.forms["deactivate"].submit().follow()

    counsellor.refresh_from_db()
    assert not counsellor.is_active
    assert "is deactivated and logged out everywhere" in response.text


def test_manager_reactivates_a_counsellor_from_the_team_page(app, manager, counsellor):
    counsellor.deactivate(by=manager)
    page = app.get(f"/users/{counsellor.pk}/edit/", user=manager)

    response = page.forms["reactivate"].submit().follow()

    counsellor.refresh_from_db()
    assert counsellor.is_active
    assert "is active again and can log in" in response.text


def test_the_account_panel_forms_carry_a_csrf_token(app, manager, counsellor):
    page = app.get(f"/users/{counsellor.pk}/edit/", user=manager)

    assert page.forms["deactivate"]["csrfmiddlewaretoken"].value
