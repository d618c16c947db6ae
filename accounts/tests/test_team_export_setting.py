"""The Team page's "Counsellors may export their customers" switch (WebTest, CSRF on): off by
default, turned on and off by a manager, audited; it decides whether counsellors see export
links and may fetch the export URLs. Managers always may."""

import pytest

from accounts.models import AgencySettings

EXPORT_URLS = ["/customers/export.csv", "/customers/export.xlsx"]


def switch_exports(app, manager, on: bool):
    form = app.get("/users/", user=manager).forms["agency-settings"]
    form["counsellors_may_export"] = on
    return form.submit().follow()


def test_exports_by_counsellors_are_off_until_a_manager_turns_them_on(app, manager):
    form = app.get("/users/", user=manager).forms["agency-settings"]

    assert not form["counsellors_may_export"].checked
    assert not AgencySettings.current().counsellors_may_export


def test_a_manager_turns_exports_on_and_it_is_audited(app, manager, audit_log):
    page = switch_exports(app, manager, True)

    assert AgencySettings.current().counsellors_may_export
    assert "Counsellors may now export their own customers." in page.text
    assert page.forms["agency-settings"]["counsellors_may_export"].checked
    (line,) = audit_log.events("settings.changed")
    assert line["username"] == "manager"
    assert (line["fields"], line["counsellors_may_export"]) == (["counsellors_may_export"], True)


def test_a_manager_turns_exports_off_again(app, manager, audit_log):
    AgencySettings.objects.create(pk=1, counsellors_may_export=True)

    page = switch_exports(app, manager, False)

    assert not AgencySettings.current().counsellors_may_export
    assert "Only managers may export customers now." in page.text
    assert [line["counsellors_may_export"] for line in audit_log.events("settings.changed")] == [
        False
    ]


def test_saving_without_a_change_writes_no_audit_line(app, manager, audit_log):
    app.get("/users/", user=manager).forms["agency-settings"].submit()

    assert audit_log.events("settings.changed") == []
    assert AgencySettings.objects.count() == 1


def test_get_is_405(manager_client):
    assert manager_client.get("/users/settings/").status_code == 405


def test_a_counsellor_cannot_turn_exports_on(client, counsellor):
    client.force_login(counsellor)

    response = client.post("/users/settings/", {"counsellors_may_export": "on"})

    assert response.status_code == 403
    assert not AgencySettings.current().counsellors_may_export


def test_while_off_a_counsellor_sees_no_export_links(app, counsellor, customer):
    page = app.get("/customers/", user=counsellor)

    assert "Anjali Nair" in page.text
    assert "/customers/export" not in page.text


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_while_off_the_export_urls_refuse_a_counsellor(app, counsellor, customer, url, audit_log):
    response = app.get(url, user=counsellor, status=403)

    assert response.status_code == 403
    assert audit_log.events("customers.exported") == []
    assert audit_log.events("permission.denied")[0]["reason"] == "export_not_allowed"


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_once_on_a_counsellor_exports_from_the_lists_links(
    app, manager, counsellor, customer, others_customer, url, audit_log
):
    switch_exports(app, manager, True)
    page = app.get("/customers/", user=counsellor)

    response = page.click(href=url.replace(".", r"\."))

    assert response.status_code == 200
    assert response.content_disposition.startswith("attachment")
    (line,) = audit_log.events("customers.exported")
    assert line["username"] == "arjun"


def test_a_manager_always_sees_the_export_links(app, manager, customer):
    page = app.get("/customers/", user=manager)

    assert "/customers/export.csv" in page.text
    assert "/customers/export.xlsx" in page.text
