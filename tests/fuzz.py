"""What the fuzz tests type: hypothesis strategies for hostile form and query values, and the
rule every mutating request keeps: refuse and say why, or save and say so.

The strategies mix values a form accepts (real statuses, Indian mobiles, dates near today) with
what people and attackers really send: unicode, NUL bytes, very long strings, numbers in odd
scripts and notations, dates in every format, several values for a one-value field.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.forms import BaseForm
from django.test import Client
from django.utils import timezone
from django.utils.html import conditional_escape
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.strategies import SearchStrategy

from customers.models import Customer


def examples(budget: int) -> int:
    """A test's example budget under the loaded profile (conftest.py): as written under "ci",
    the default; scaled as that profile scales hypothesis's own default of 100 under "fuzz"."""
    return budget * settings.default.max_examples // 100


# Each example is one or two real requests. A test's examples share its fixtures' rows on
# purpose: each example starts from whatever the earlier ones saved. Randomness, the example
# database and the deadline come from the profile.
FUZZ = settings(
    max_examples=examples(40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz(max_examples: int):
    return settings(FUZZ, max_examples=examples(max_examples))


# A key left out of the request altogether.
MISSING = object()

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "'",
    '"',
    "\\",
    "%",
    "%00",
    "%s%s%n",
    "{{ request }}",
    "{% debug %}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "'; DROP TABLE customers_customer; --",
    "NULL",
    "None",
    "undefined",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\u202eevil",
    "\ufeffbom",
    "zero\u200bwidth",
    "नमस्ते",
    "മലയാളം",
    "தமிழ்",
    "🙂" * 50,
    "ﷺ",
    "İı",
    "../../etc/passwd",
    "\x1b[31mred",
    "\ud7ff\ue000",
    "a" * 201,
    "x" * 3000,
]

ODD_NUMBERS = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["१२३", "٣٤٥", "０１２", "0x1F", "1_000", "1,000", "-0", "+5", "1e3", "Ⅻ", "1.", ".5"]
        + ["9" * 40]
    ),
)


def long_text():
    """Text of a few hundred to ten thousand characters, cheap to generate."""
    return st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=4), st.integers(60, 1500)
    )


def hostile_text():
    return st.one_of(st.sampled_from(NASTY_STRINGS), st.text(max_size=30), long_text(), ODD_NUMBERS)


def mobile_numbers():
    """Indian mobiles as people type them: with +91, 91 or 0 in front, spaces, dashes, dots,
    slashes, a no-break space, even in Devanagari digits."""
    digits = st.integers(6_000_000_000, 9_999_999_999).map(str)
    separator = st.sampled_from(["", " ", "-", ".", "/", "  ", "\u00a0"])
    prefix = st.sampled_from(["", "+91", "91", "0", "+91-", "(+91)", "+91 "])

    def typed(prefix, sep, number, devanagari):
        text = prefix + sep + number[:5] + sep + number[5:]
        if devanagari:
            text = text.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
        return text

    return st.builds(typed, prefix, separator, digits, st.booleans())


def odd_phones():
    """What only looks like an Indian mobile."""
    digits = st.integers(6_000_000_000, 9_999_999_999).map(str)
    return st.one_of(
        digits.map(lambda n: f'="+91{n}"'),
        digits.map(lambda n: n[:-1]),  # a digit short
        digits.map(lambda n: n + "1"),  # a digit too many
        digits.map(lambda n: f"+91 {n} ext. 22"),
        digits.map(lambda n: f"tel:+91\t{n}"),
        digits.map(lambda n: f"0091 {n}"),
        st.sampled_from(["+1 202 555 0143", "+44 20 7946 0958", "+91 1234567890", "0000000000"]),
    )


def dates_written(*, past=True):
    """Dates around today (or from today on) in the formats the forms read: day first, or ISO."""
    today = timezone.localdate()
    first = today - timedelta(days=40) if past else today
    soon = st.dates(min_value=first, max_value=today + timedelta(days=40))
    written = st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"])
    return st.builds(lambda day, form: day.strftime(form), soon, written)


def odd_dates():
    """Dates from year 1 to 9999 in many written forms, and things that are not dates."""
    anywhen = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    written = st.sampled_from(
        ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%m/%d/%Y", "%d %b %Y", "%d/%m/%y"]
        + ["%Y%m%d"]
    )
    return st.one_of(
        st.builds(lambda day, form: day.strftime(form), anywhen, written),
        st.sampled_from(
            [
                "31/02/2026",
                "00/00/0000",
                "2026-13-01",
                "29/02/2023",
                "1/1/1",
                "0001-01-01",
                "9999-12-31",
                "10000-01-01",
                "-2026-01-01",
                "2026-01-05T10:00",
                "today",
                "२६/०१/२०२६",
                "2026‐01‐05",
            ]
        ),
    )


def dates_typed():
    return st.one_of(dates_written(), odd_dates())


def times_typed():
    return st.one_of(
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.sampled_from(["25:00", "12:60", "23:59:59.999999", "7pm", "7:30 PM", "24:00", "-1:00"]),
    )


def yes_no():
    return st.sampled_from(["true", "false", "on", "1", "0", "yes", "no", "True", "unknown", ""])


@dataclass(frozen=True)
class Field:
    """How to fill one field: with a value the form may well accept, or with anything."""

    likely: SearchStrategy
    anything: SearchStrategy


def value(*likely, junk=(), seldom=False):
    """A form field. `anything` is usually one of `likely` or `junk`, sometimes hostile text,
    sometimes several values for the one field, and now and then left out of the request.
    A `seldom` field is mostly left out even when filled with likely values."""
    one = st.one_of(*likely, *junk, hostile_text())
    several = st.lists(one, min_size=2, max_size=3)
    anything = st.integers(0, 9).flatmap(
        lambda k: st.just(MISSING) if k == 0 else several if k == 1 else one
    )
    fitting = st.one_of(*likely) if likely else one
    if seldom:
        fitting = st.one_of(st.just(MISSING), st.just(MISSING), st.just(MISSING), fitting)
    return Field(fitting, anything)


@st.composite
def form(draw, **fields: Field):
    """A request body (or query) in one of three moods: every field likely, every field likely
    but one, or every field anything. Fields drawn as MISSING are left out."""
    mood = draw(st.sampled_from(["likely", "one spoilt", "anything"]))
    spoilt = draw(st.sampled_from(sorted(fields))) if mood == "one spoilt" else None
    body = {}
    for name, field in fields.items():
        fill = field.anything if mood == "anything" or name == spoilt else field.likely
        drawn = draw(fill)
        if drawn is not MISSING:
            body[name] = drawn
    return body


def statuses():
    return st.sampled_from(Customer.Status.values)


def other_pks():
    return st.one_of(st.uuids().map(str), st.sampled_from(["none", "0", "-1", "1 OR 1=1"]))


def pks_of(*objects):
    """Real primary keys of `objects`, random UUIDs and malformed ones."""
    real = [str(o.pk) for o in objects]
    return st.one_of(st.sampled_from(real), other_pks()) if real else other_pks()


def pk_value(*objects, also=()):
    """A field naming one of `objects` (or one of `also`), or something else."""
    real = [str(o.pk) for o in objects] + list(also)
    return value(st.sampled_from(real), junk=[other_pks()])


def pks_value(*objects):
    """A multiple-choice field: some of `objects`, or something else."""
    real = st.sampled_from([str(o.pk) for o in objects])
    return value(st.lists(real, min_size=1, max_size=3, unique=True), junk=[other_pks()])


def filter_params(users=()):
    """Query parameters for the customer list, its exports and bulk "all matching"."""
    users = users or [None]
    user_pks = st.sampled_from([str(u.pk) for u in users if u])
    return form(
        q=value(
            mobile_numbers(),
            st.sampled_from(["Nair", "98765", "kochi", "  "]),
            junk=[odd_phones()],
            seldom=True,
        ),
        status=value(statuses(), st.lists(statuses(), max_size=3), seldom=True),
        follow_up=value(st.sampled_from(["overdue", "today", "upcoming", "none"]), seldom=True),
        assigned_to=value(user_pks, st.just("none"), junk=[other_pks()], seldom=True),
        assigned=value(yes_no(), seldom=True),
        area=value(st.sampled_from(["Kochi", "kochi", "Thrissur"]), seldom=True),
        open=value(yes_no(), seldom=True),
        contacted=value(yes_no(), seldom=True),
        created_after=value(dates_written(), junk=[odd_dates()], seldom=True),
        created_before=value(dates_written(), junk=[odd_dates()], seldom=True),
        enquiry_after=value(dates_written(), junk=[odd_dates()], seldom=True),
        enquiry_before=value(dates_written(), junk=[odd_dates()], seldom=True),
        reached=value(statuses(), seldom=True),
        ever_reached=value(statuses(), seldom=True),
        moved_by=value(user_pks, junk=[other_pks()], seldom=True),
        changed_after=value(dates_written(), junk=[odd_dates()], seldom=True),
        changed_before=value(dates_written(), junk=[odd_dates()], seldom=True),
        sort=value(
            st.sampled_from(
                ["name", "-name", "phone", "area", "-date", "status", "assigned_to", "created"]
                + ["-updated", "follow_up", "name,-phone"]
            ),
            junk=[st.sampled_from(["-", "--name", "pk", "password", "name,,", "?"])],
            seldom=True,
        ),
        page=value(st.sampled_from(["1", "2", "last"]), junk=[ODD_NUMBERS], seldom=True),
        unknown=Field(st.just(MISSING), value().anything),
    )


# Reading responses ----------------------------------------------------------------------------


def client_for(user=None, **options) -> Client:
    """A fresh browser, logged in as `user` when given (so no example inherits another's session
    or its flash messages)."""
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


def form_errors(response) -> list[tuple[str, str]]:
    """(field, message) for every error of every bound form the response was rendered with."""
    if response.context is None:
        return []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    forms = {}
    for context in contexts:
        for item in context.flatten().values():
            if isinstance(item, BaseForm) and item.is_bound:
                forms[id(item)] = item
    return [(name, e) for f in forms.values() for name, errors in f.errors.items() for e in errors]


def flashes(response) -> list[tuple[str, str]]:
    """(level, text) of the flash messages this request added or showed."""
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def assert_errors_shown(response, errors, unshown=()):
    """Each form error appears on the page as the template escapes it (except those on the
    fields in `unshown`, known gaps with an xfail test of their own)."""
    page = response.content.decode()
    missing = [
        (name, e)
        for name, e in errors
        if name not in unshown and str(conditional_escape(e)) not in page
    ]
    assert not missing, f"form errors not shown to the user: {missing}"


def assert_refused_or_saved(response, before, after, *, confirmed=None, unshown=()):
    """The rule for every mutating request, whatever it was sent:

    - never a server error;
    - refused (form errors, an error message, or a 4xx) means nothing was written, and the
      reason is shown;
    - anything written is confirmed to the user (a success message, or `confirmed(response)`).
    """
    assert response.status_code < 500
    errors = form_errors(response)
    messages = flashes(response)
    error_messages = [text for level, text in messages if level == "error"]
    refused = bool(errors or error_messages) or 400 <= response.status_code < 500
    if currently_in_test_context():  # `--hypothesis-show-statistics` counts the outcomes
        event("refused" if refused else "saved" if after != before else "accepted, unchanged")
    if refused:
        assert after == before, "a refused request wrote something"
        assert errors or error_messages or response.status_code in (400, 403, 404, 405)
        if errors and response.status_code != 302:
            assert_errors_shown(response, errors, unshown)
    elif after != before:
        said_so = any(level == "success" for level, _ in messages)
        assert said_so or (confirmed and confirmed(response)), "a change without confirmation"
    return errors, messages
