"""Two counsellors with the same name are told apart wherever one is picked: every dropdown and
checkbox list shows the username beside the name."""

import pytest

from accounts.factories import CounsellorFactory
from customers.factories import CustomerFactory


@pytest.fixture
def namesakes(counsellor):
    """A second Arjun Menon, username "arjun.m", beside the persona "arjun"."""
    other = CounsellorFactory(username="arjun.m", first_name="Arjun", last_name="Menon")
    CustomerFactory(assigned_to=counsellor)
    CustomerFactory(assigned_to=other)
    return counsellor, other


def option_texts(form, name):
    return [text for _, _, text in form[name].options]


def test_the_list_filter_tells_them_apart(app, manager, namesakes):
    form = app.get("/customers/", user=manager).forms["filters"]

    assert {"Arjun Menon (arjun)", "Arjun Menon (arjun.m)"} <= set(
        option_texts(form, "assigned_to")
    )


def test_the_bulk_assign_dropdown_tells_them_apart(app, manager, namesakes):
    form = app.get("/customers/", user=manager).forms["bulk-form"]

    assert {"Arjun Menon (arjun)", "Arjun Menon (arjun.m)"} <= set(
        option_texts(form, "assigned_to")
    )


def test_the_new_customer_dropdown_tells_them_apart(app, manager, namesakes):
    form = app.get("/customers/new/", user=manager).forms["customer-form"]

    assert {"Arjun Menon (arjun)", "Arjun Menon (arjun.m)"} <= set(
        option_texts(form, "assigned_to")
    )


def test_reassign_all_tells_them_apart_and_asks_for_a_choice(app, manager, namesakes):
    page = app.get("/customers/reassign/", user=manager)
    texts = page.text

    assert "Choose a counsellor…" in texts
    assert "---------" not in texts
    assert "Arjun Menon (arjun)" in texts
    assert "Arjun Menon (arjun.m)" in texts


def test_the_import_form_tells_them_apart(app, manager, namesakes):
    page = app.get("/imports/new/", user=manager)

    assert "Arjun Menon (arjun)" in page.text
    assert "Arjun Menon (arjun.m)" in page.text


def test_someone_without_a_name_is_shown_by_username(namesakes):
    nameless = CounsellorFactory(username="kiran", first_name="", last_name="")

    assert nameless.choice_label == "kiran"
