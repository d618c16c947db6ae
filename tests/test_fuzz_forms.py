"""Every form of the application posted with generated hostile input, as the persona who uses it.

Whatever is sent, the answer is never a server error; a refused post writes nothing and shows
why; a post that writes something says so. Uploads are in test_fuzz_uploads.py, the list's,
exports' and dashboard's query strings in test_fuzz_queries.py.
"""

import re
import unicodedata
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from hypothesis import given
from hypothesis import strategies as st

from accounts.factories import PASSWORD, CounsellorFactory, ManagerFactory
from accounts.models import User
from customers.factories import CustomerFactory
from customers.models import (
    Customer,
    CustomerAssignmentHistory,
    CustomerNote,
    CustomerStatusHistory,
)
from imports.models import FileImport

from .fuzz import (
    HTMX,
    assert_errors_shown,
    assert_refused_or_saved,
    client_for,
    dates_written,
    filter_params,
    flashes,
    form,
    form_errors,
    fuzz,
    hostile_text,
    mobile_numbers,
    odd_dates,
    odd_phones,
    pk_value,
    pks_of,
    pks_value,
    statuses,
    times_typed,
    value,
    yes_no,
)

pytestmark = pytest.mark.django_db

STRONG_PASSWORDS = st.builds(lambda n: f"monsoon-kerala-{n}", st.integers(1000, 9999))
USERNAMES = st.from_regex(r"[a-z][a-z0-9_.@+-]{2,20}", fullmatch=True)
NAMES = st.sampled_from(["Anjali", "Rohan Das", "Fathima", "Arjun", "Meera Iyer"])
EMAILS = st.one_of(
    st.emails().map(str),
    st.sampled_from(["a@b", "anjali@example.com", "@example.com", "a@@b.com", "x@" + "y" * 300]),
)


@pytest.fixture
def book(counsellor, other_counsellor):
    """Customers of each kind: the counsellor's, someone else's, nobody's, and a closed one."""
    return [
        CustomerFactory(assigned_to=counsellor, name="Anjali Nair", area="Kochi"),
        CustomerFactory(assigned_to=counsellor, status=Customer.Status.FOLLOW_UP),
        CustomerFactory(assigned_to=other_counsellor, name="Rohan Das"),
        CustomerFactory(assigned_to=other_counsellor, status=Customer.Status.INTERESTED),
        CustomerFactory(name="Fathima Khan", area="Thrissur"),
        CustomerFactory(status=Customer.Status.ADMISSION),
    ]


def customers_state():
    """Everything a customer form or action can write."""
    fields = ["pk", "name", "phone_number", "area", "date", "remark", "notes", "status"]
    fields += ["assigned_to", "follow_up_on", "follow_up_time"]
    return (
        list(Customer.objects.order_by("pk").values_list(*fields)),
        CustomerStatusHistory.objects.count(),
        CustomerAssignmentHistory.objects.count(),
        CustomerNote.objects.count(),
    )


def users_state():
    fields = ["pk", "username", "first_name", "last_name", "email", "role", "is_active", "password"]
    return list(User.objects.order_by("pk").values_list(*fields)), LogEntry.objects.count()


def post(client, url, data, state, **extra):
    before = state()
    response = client.post(url, data, **extra)
    return response, before, state()


# Accounts -------------------------------------------------------------------------------------


@fuzz(40)
@given(data=st.data())
def test_login_answers_any_input_and_logs_in_only_with_the_right_password(
    data, manager, counsellor
):
    body = data.draw(
        form(
            username=value(
                st.sampled_from(["manager", "arjun", "ａｒｊｕｎ", "arjun "]), junk=[USERNAMES]
            ),
            password=value(st.just(PASSWORD)),
            next=value(
                st.sampled_from(["/customers/", "//evil.example/", "https://evil.example/"])
            ),
        )
    )
    client = client_for()

    response = client.post("/accounts/login/", body)

    assert response.status_code < 500
    logged_in = "_auth_user_id" in client.session
    last = {k: v[-1] if isinstance(v, list) else v for k, v in body.items()}
    # Django strips the username and folds it to NFKC ("ａｒｊｕｎ " is "arjun").
    username = unicodedata.normalize("NFKC", last.get("username", "")).strip()
    real = username in {"manager", "arjun"} and last.get("password") == PASSWORD
    # After repeated failures the username is locked out for a while, right password or not.
    locked_out = response.status_code == 429
    assert logged_in == (real and not locked_out)
    if logged_in:
        # Never an open redirect, whatever `next` says.
        assert response.status_code == 302
        location = response["Location"]
        assert urlsplit(location)[:2] == ("", "")
        assert not location.startswith(("//", "/\\"))
    elif response.status_code == 200:
        assert form_errors(response)


def test_a_login_with_an_overlong_username_is_refused_not_a_500(manager):
    """Regression, found by fuzzing on PostgreSQL: Django's AuthenticationForm sets the
    username's max_length after building the field, so nothing checks it; the failed login is
    then recorded by django-axes in AccessAttempt.username (varchar 255), and PostgreSQL's
    "value too long" DataError makes the login page a 500 (SQLite does not check lengths)."""
    client = client_for()

    response = client.post("/accounts/login/", {"username": "x" * 300, "password": PASSWORD})

    assert response.status_code == 200
    assert form_errors(response)
    assert "_auth_user_id" not in client.session


@fuzz(25)
@given(data=st.data())
def test_password_change_refuses_bad_input_without_changing_the_password(data, counsellor):
    new = data.draw(STRONG_PASSWORDS)
    body = data.draw(
        form(
            old_password=value(st.just(PASSWORD)),
            new_password1=value(st.just(new), st.just("short")),
            new_password2=value(st.just(new)),
        )
    )

    def state():
        return User.objects.get(pk=counsellor.pk).password

    response, before, after = post(client_for(counsellor), "/accounts/password/", body, state=state)

    assert_refused_or_saved(
        response, before, after, confirmed=lambda r: r.url == "/accounts/password/done/"
    )
    if after != before:
        counsellor.set_password(PASSWORD)
        counsellor.save()


@fuzz(30)
@given(data=st.data())
def test_profile_refuses_bad_input_and_saves_good_input(data, counsellor):
    body = data.draw(form(first_name=value(NAMES), last_name=value(NAMES), email=value(EMAILS)))

    response, before, after = post(
        client_for(counsellor), "/accounts/profile/", body, state=users_state
    )

    assert_refused_or_saved(response, before, after)


@fuzz(30)
@given(data=st.data())
def test_adding_a_team_member_refuses_bad_input(data, manager):
    password = data.draw(STRONG_PASSWORDS)
    body = data.draw(
        form(
            username=value(USERNAMES, st.just("manager")),
            first_name=value(NAMES),
            last_name=value(NAMES),
            email=value(EMAILS),
            role=value(st.sampled_from(User.Role.values)),
            password1=value(st.just(password)),
            password2=value(st.just(password)),
        )
    )

    response, before, after = post(client_for(manager), "/users/new/", body, state=users_state)

    assert_refused_or_saved(response, before, after)


@fuzz(30)
@given(data=st.data())
def test_editing_a_team_member_and_their_role_refuses_bad_input(data, manager, counsellor):
    # Every example starts from one manager and one counsellor, as the first did.
    User.objects.filter(pk=counsellor.pk).update(role=User.Role.SALES)
    User.objects.filter(pk=manager.pk).update(role=User.Role.MANAGER)
    member = data.draw(st.sampled_from([counsellor, manager]))
    body = data.draw(
        form(
            first_name=value(NAMES),
            last_name=value(NAMES),
            email=value(EMAILS),
            role=value(st.sampled_from(User.Role.values)),
        )
    )

    response, before, after = post(
        client_for(manager), f"/users/{member.pk}/edit/", body, state=users_state
    )

    assert_refused_or_saved(response, before, after)


@fuzz(20)
@given(data=st.data())
def test_setting_someones_password_refuses_bad_input(data, manager, counsellor):
    new = data.draw(STRONG_PASSWORDS)
    body = data.draw(
        form(
            new_password1=value(st.just(new), st.just("arjun")),
            new_password2=value(st.just(new)),
        )
    )

    response, before, after = post(
        client_for(manager), f"/users/{counsellor.pk}/password/", body, state=users_state
    )

    assert_refused_or_saved(response, before, after)


@fuzz(30)
@given(data=st.data())
def test_deactivate_and_reactivate_ignore_any_body_and_refuse_what_they_must(
    data, manager, counsellor
):
    other_manager = ManagerFactory(username="deepa")
    User.objects.filter(pk=counsellor.pk).update(is_active=data.draw(st.booleans()))
    User.objects.filter(pk=other_manager.pk).update(is_active=data.draw(st.booleans()))
    action = data.draw(st.sampled_from(["deactivate", "reactivate"]))
    whom = data.draw(pks_of(counsellor, manager, other_manager))
    body = data.draw(form(pk=value(), is_active=value(yes_no()), confirm=value(yes_no())))

    response, before, after = post(
        client_for(manager), f"/users/{whom}/{action}/", body, state=users_state
    )

    errors, messages = assert_refused_or_saved(response, before, after)
    assert response.status_code in (302, 404)


@fuzz(10)
@given(body=form(next=value(), anything=value()))
def test_logout_answers_any_body(body, counsellor):
    client = client_for(counsellor)

    response = client.post("/accounts/logout/", body)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Customers ------------------------------------------------------------------------------------


def customer_fields():
    return dict(
        name=value(NAMES),
        phone_number=value(mobile_numbers(), junk=[odd_phones()]),
        area=value(st.sampled_from(["Kochi", "Thrissur"])),
        date=value(dates_written(), junk=[odd_dates()]),
        remark=value(st.just("Parent called")),
        notes=value(st.just("Wants hostel details")),
    )


@fuzz(30)
@given(data=st.data())
def test_adding_a_customer_refuses_bad_input_and_writes_nothing(data, manager, book):
    counsellors = User.objects.filter(role=User.Role.SALES)
    body = data.draw(form(**customer_fields(), assigned_to=pk_value(*counsellors, also=[""])))

    response, before, after = post(
        client_for(manager), "/customers/new/", body, state=customers_state
    )

    assert_refused_or_saved(response, before, after)


@fuzz(30)
@given(data=st.data())
def test_editing_a_customer_refuses_bad_input(data, manager, counsellor, book):
    editor = data.draw(st.sampled_from([manager, counsellor]))
    customer = book[0]
    body = data.draw(
        form(**customer_fields(), status=value(statuses()), assigned_to=pk_value(manager))
    )
    kept = Customer.objects.filter(pk=customer.pk).values_list("status", "assigned_to")

    response, before, after = post(
        client_for(editor), f"/customers/{customer.pk}/edit/", body, state=customers_state
    )

    assert_refused_or_saved(response, before, after)
    # The edit forms never touch status or assignment, whatever is posted.
    assert kept.get() == (before[0] and dict((r[0], (r[7], r[8])) for r in before[0]))[customer.pk]


@fuzz(35)
@given(data=st.data())
def test_recording_a_call_refuses_bad_input_plain_and_htmx(data, manager, counsellor, book):
    who = data.draw(st.sampled_from([manager, counsellor]))
    customer = data.draw(st.sampled_from(book[:2]))
    htmx = data.draw(st.booleans())
    body = data.draw(
        form(
            status=value(statuses()),
            notes=value(st.just("Called; parents will visit")),
            follow_up_on=value(dates_written(past=False), junk=[odd_dates(), dates_written()]),
            follow_up_time=value(times_typed()),
        )
    )

    response, before, after = post(
        client_for(who),
        f"/customers/{customer.pk}/status/",
        body,
        state=customers_state,
        **(HTMX if htmx else {}),
    )

    assert_refused_or_saved(response, before, after)
    if form_errors(response) and not htmx:
        assert response.status_code == 400


@fuzz(30)
@given(data=st.data())
def test_reassigning_a_customer_refuses_bad_input(data, manager, book):
    customer = data.draw(st.sampled_from(book))
    body = data.draw(form(assigned_to=pk_value(*User.objects.all(), also=[""])))

    response, before, after = post(
        client_for(manager), f"/customers/{customer.pk}/assign/", body, state=customers_state
    )

    assert_refused_or_saved(response, before, after)
    assert response.status_code == 302


def bulk_fields(book, users):
    """Ticked rows (real, unknown, malformed), "all matching" and the list's query behind it."""
    return dict(
        customer_ids=pks_value(*book),
        select_all=value(st.sampled_from(["on", ""]), junk=[yes_no()]),
        query=value(
            filter_params(users).map(lambda params: urlencode(params, doseq=True)),
            junk=[st.sampled_from(["%", "a=%zz", "&&&", "=x", "q=%00", "page=2&status="])],
        ),
    )


COUNTED = re.compile(r"^(\d+) customer\(s\)")


def counted(messages) -> int | None:
    """The number a bulk action's success message reports."""
    for level, text in messages:
        if level == "success" and (match := COUNTED.match(text)):
            return int(match[1])
    return None


@fuzz(30)
@given(data=st.data())
def test_bulk_assign_refuses_bad_input_and_reports_what_it_changed(data, manager, book):
    users = list(User.objects.all())
    body = data.draw(form(**bulk_fields(book, users), assigned_to=pk_value(*users, also=[""])))
    htmx = data.draw(st.booleans())

    response, before, after = post(
        client_for(manager),
        "/customers/assign/",
        body,
        state=customers_state,
        **(HTMX if htmx else {}),
    )

    _, messages = assert_refused_or_saved(response, before, after)
    if (n := counted(messages)) is not None:
        assert n == after[2] - before[2]  # one assignment history row per customer moved


@pytest.mark.parametrize("action", ["assign", "status", "distribute"])
def test_a_bulk_action_sent_an_overlong_list_query_changes_nothing(
    manager, counsellor, book, action
):
    """Regression, found by fuzzing: the list's query (where to go back to) came back in the
    redirect after the action had been saved, and a redirect over Django's 16,384 characters is
    refused with a 400, so the customers were changed behind a "Bad Request" page."""
    body = {
        "customer_ids": [book[4].pk],
        "assigned_to": counsellor.pk,
        "status": Customer.Status.VALID,
        "counsellors": [counsellor.pk],
        "confirm": "on",
        "query": "q=" + "Nair " * 3500,
    }

    response, before, after = post(
        client_for(manager), f"/customers/{action}/", body, state=customers_state
    )

    assert after == before
    assert response.status_code < 500
    assert form_errors(response) or flashes(response)


@fuzz(30)
@given(data=st.data())
def test_bulk_status_refuses_bad_input_and_reports_what_it_changed(data, manager, book):
    users = list(User.objects.all())
    body = data.draw(
        form(
            **bulk_fields(book, users),
            status=value(statuses()),
            notes=value(st.just("Bulk update")),
            follow_up_on=value(dates_written(past=False), junk=[odd_dates(), dates_written()]),
        )
    )
    htmx = data.draw(st.booleans())

    response, before, after = post(
        client_for(manager),
        "/customers/status/",
        body,
        state=customers_state,
        **(HTMX if htmx else {}),
    )

    _, messages = assert_refused_or_saved(response, before, after)
    if (n := counted(messages)) is not None:
        assert n == after[1] - before[1]  # one status history row per customer moved


@fuzz(25)
@given(data=st.data())
def test_distribute_refuses_bad_input_and_previews_without_writing(data, manager, book):
    users = list(User.objects.all())
    body = data.draw(
        form(
            **bulk_fields(book, users),
            counsellors=pks_value(*users),
            confirm=value(yes_no()),
        )
    )

    response, before, after = post(
        client_for(manager), "/customers/distribute/", body, state=customers_state
    )

    assert_refused_or_saved(response, before, after)
    if response.status_code == 200:
        assert after == before  # the preview writes nothing


@fuzz(30)
@given(data=st.data())
def test_reassign_all_refuses_bad_input_and_previews_without_writing(
    data, manager, counsellor, other_counsellor, book
):
    CounsellorFactory(username="gone", is_active=False)
    users = list(User.objects.all())
    body = data.draw(
        form(
            from_counsellor=pk_value(*users),
            counsellors=pks_value(*users),
            confirm=value(yes_no()),
        )
    )
    query = data.draw(st.one_of(st.just(""), hostile_text().map(lambda t: urlencode({"from": t}))))

    response, before, after = post(
        client_for(manager), f"/customers/reassign/?{query}", body, state=customers_state
    )

    assert_refused_or_saved(response, before, after)
    if response.status_code == 200:
        assert after == before


def test_reassign_all_to_someone_deactivated_since_the_preview_says_why(
    manager, counsellor, other_counsellor, book
):
    leaving_soon = CounsellorFactory(username="kiran")
    body = {
        "from_counsellor": counsellor.pk,
        "counsellors": [other_counsellor.pk, leaving_soon.pk],
        "confirm": "on",
    }
    User.objects.filter(pk=leaving_soon.pk).update(is_active=False)  # meanwhile, on the Team page
    before = customers_state()

    response = client_for(manager).post("/customers/reassign/", body)

    assert customers_state() == before
    assert form_errors(response)
    assert_errors_shown(response, form_errors(response))


# Imports: "Run again" takes no input --------------------------------------------------------


@fuzz(10)
@given(data=st.data())
def test_run_again_ignores_any_body(data, manager, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    finished = FileImport.objects.create(
        file_name="leads.csv",
        file="imports/leads.csv",
        sha256="0" * 64,
        imported_by=manager,
        status=FileImport.Status.DONE,
    )
    whom = data.draw(pks_of(finished))
    body = data.draw(form(status=value(), processed_rows=value(), anything=value()))

    def state():
        return list(FileImport.objects.values_list("pk", "status", "processed_rows"))

    response, before, after = post(
        client_for(manager), f"/imports/{whom}/retry/", body, state=state
    )

    assert_refused_or_saved(response, before, after)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert flashes(response) == [
            ("error", "Only an import that stopped part-way can be run again.")
        ]
