"""Every query string a page reads, generated: the customer list's filters (plain and htmx), both
exports, the dashboards' period and sort, and Reassign all's `from`.

Whatever is sent: an answer without a server error, a counsellor never sees (or downloads)
another counsellor's customers, and a period the dashboard cannot use is explained on the page.
"""

import csv
import io
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AgencySettings, User
from customers.factories import CustomerFactory
from customers.models import Customer

from .fuzz import (
    HTMX,
    assert_errors_shown,
    client_for,
    dates_written,
    filter_params,
    form,
    form_errors,
    fuzz,
    odd_dates,
    pk_value,
    value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(counsellor, other_counsellor, manager):
    """The counsellor's customers, someone else's, nobody's; some moved through the funnel.
    A manager has let counsellors export, so their exports are put to the test too."""
    AgencySettings.objects.create(pk=1, counsellors_may_export=True)
    mine = CustomerFactory(assigned_to=counsellor, name="Anjali Nair", area="Kochi")
    CustomerFactory(assigned_to=counsellor).change_status(Customer.Status.VALID, by=counsellor)
    theirs = CustomerFactory(assigned_to=other_counsellor, name="Rohan Das", area="Kochi")
    theirs.change_status(Customer.Status.INTERESTED, by=other_counsellor)
    CustomerFactory(assigned_to=other_counsellor, status=Customer.Status.ADMISSION)
    CustomerFactory(name="Fathima Khan")
    return mine


def others_phones(counsellor):
    return [c.phone_number for c in Customer.objects.exclude(assigned_to=counsellor)]


@fuzz(30)
@given(data=st.data())
def test_the_list_answers_any_filter_and_a_counsellor_sees_only_their_own(
    data, manager, counsellor, book
):
    viewer = data.draw(st.sampled_from([manager, counsellor]))
    params = data.draw(filter_params(list(User.objects.all())))
    htmx = data.draw(st.booleans())

    response = client_for(viewer).get("/customers/", params, **(HTMX if htmx else {}))

    assert response.status_code == 200
    if viewer == counsellor:
        page = response.content.decode()
        others = [Customer(phone_number=p).display_phone for p in others_phones(counsellor)]
        assert not [phone for phone in others if phone in page]


@fuzz(25)
@given(data=st.data())
def test_the_csv_export_answers_any_filter_with_only_what_the_viewer_may_see(
    data, manager, counsellor, book
):
    viewer = data.draw(st.sampled_from([manager, counsellor]))
    params = data.draw(filter_params(list(User.objects.all())))

    response = client_for(viewer).get("/customers/export.csv", params)

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Name", "Phone"]
    if viewer == counsellor:
        assert not [p for p in others_phones(counsellor) if p in text]


@fuzz(15)
@given(data=st.data())
def test_the_xlsx_export_answers_any_filter(data, manager, counsellor, book):
    viewer = data.draw(st.sampled_from([manager, counsellor]))
    params = data.draw(filter_params(list(User.objects.all())))

    response = client_for(viewer).get("/customers/export.xlsx", params)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK\x03\x04")


PERIOD = form(
    days=value(st.sampled_from(["7", "30", "90"]), junk=[st.sampled_from(["0", "-7", "1e3"])]),
    start=value(dates_written(), junk=[odd_dates()]),
    end=value(dates_written(), junk=[odd_dates()]),
    sort=value(
        st.sampled_from(["name", "-assigned", "conversion", "-moved", "overdue", "admitted"]),
        junk=[st.sampled_from(["-", "--name", "pk", "password"])],
    ),
)


@fuzz(25)
@given(data=st.data())
def test_the_dashboards_answer_any_period_and_explain_one_they_cannot_use(
    data, manager, counsellor, book
):
    viewer = data.draw(st.sampled_from([manager, counsellor]))
    params = data.draw(PERIOD)

    response = client_for(viewer).get("/dashboard/", params)

    assert response.status_code == 200
    assert_errors_shown(response, form_errors(response))


@fuzz(15)
@given(data=st.data())
def test_reassign_all_answers_any_from(data, manager, counsellor, book):
    chosen = pk_value(counsellor, manager)

    response = client_for(manager).get("/customers/reassign/", data.draw(form(**{"from": chosen})))

    assert response.status_code == 200


RAW_QUERIES = st.one_of(
    # Bytes as a browser or a script might percent-encode them, stray % and & included.
    st.binary(max_size=60).map(lambda raw: quote_from_bytes(raw, safe="=&%+;[]")),
    st.sampled_from(["q=%ff%fe", "status=%", "%%%", "=&=&", "q", "page=&page=2", "sort=%00"]),
    st.sampled_from(["a[]=1", "q=" + "%e0%a4" * 50, "&" * 300, "status=NEW;status=VALID"]),
)


@fuzz(30)
@given(data=st.data())
def test_the_pages_that_read_a_query_answer_any_raw_query_string(data, manager, counsellor, book):
    viewer = data.draw(st.sampled_from([manager, counsellor]))
    path = data.draw(st.sampled_from(["/customers/", "/customers/export.csv", "/dashboard/"]))
    raw = data.draw(RAW_QUERIES)

    response = client_for(viewer).get(f"{path}?{raw}")

    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
