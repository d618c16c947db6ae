"""Hostile text that the forms accept is stored; every page and export that shows it again must
still answer. Saved through the real forms (customer, call note, profile), then read back by the
detail page, the list (searching for it), both dashboards and the exports.
"""

import csv
import io
import re

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import AgencySettings
from customers.models import Customer

from .fuzz import client_for, fuzz, hostile_text

pytestmark = pytest.mark.django_db

# Characters an XLSX cell cannot hold.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def saved(response):
    assert response.status_code in (200, 302, 400)
    return response.status_code == 302


@pytest.fixture(autouse=True)
def counsellors_may_export(db):
    """A manager has let counsellors export, so their exports are put to the test too."""
    AgencySettings.objects.create(pk=1, counsellors_may_export=True)


@fuzz(15)
@given(data=st.data())
def test_hostile_text_saved_through_the_forms_is_shown_and_exported(data, manager, counsellor):
    # Each example on its own: what one stored must not be what breaks the next one's pages.
    with transaction.atomic():
        round_trip(data, manager, counsellor)
        transaction.set_rollback(True)


def round_trip(data, manager, counsellor):
    text = data.draw(hostile_text(), label="text")
    number = data.draw(st.integers(6_000_000_000, 9_999_999_999))
    as_manager, as_counsellor = client_for(manager), client_for(counsellor)
    fields = {"name": text[:200], "area": text[:120], "remark": text, "notes": text}
    saved(
        as_manager.post(
            "/customers/new/", {**fields, "phone_number": str(number), "assigned_to": counsellor.pk}
        )
    )
    customer = Customer.objects.filter(phone_number=f"+91{number}").first()
    if customer is None:  # refused (a NUL, say): nothing to show
        return
    saved(
        as_counsellor.post(f"/customers/{customer.pk}/status/", {"status": "VALID", "notes": text})
    )
    saved(as_counsellor.post("/accounts/profile/", {"first_name": text[:150] or "Arjun"}))

    for client in (as_manager, as_counsellor):
        for url in [f"/customers/{customer.pk}/", f"/customers/{customer.pk}/edit/", "/dashboard/"]:
            assert client.get(url).status_code == 200, url
        assert client.get("/customers/", {"q": text[:100]}).status_code == 200
        exported = client.get("/customers/export.csv")
        rows = list(
            csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")))
        )
        assert len(rows) >= 2
    assert as_manager.get("/users/").status_code == 200
    exported = as_manager.get("/customers/export.xlsx")
    assert load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active.max_row >= 2


@pytest.mark.parametrize(
    "typed", ["Anjali\x0bNair", "\x1b[31mRohan"], ids=["vertical tab", "escape"]
)
def test_the_xlsx_export_of_a_customer_typed_with_a_control_character_answers(manager, typed):
    """Regression, found by fuzzing: a control character (a vertical tab pasted from Word, an
    escape) is accepted by the customer form (only NUL is refused) and by the importer, and
    /customers/export.xlsx was a 500 (openpyxl's IllegalCharacterError in xlsx_cell()). The
    cell now holds the text without the characters XML cannot carry."""
    client = client_for(manager)
    created = client.post(
        "/customers/new/", {"name": typed, "phone_number": "9847012345", "assigned_to": ""}
    )
    assert created.status_code == 302  # stored as typed

    response = client.get("/customers/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == XML_ILLEGAL.sub("", typed)
