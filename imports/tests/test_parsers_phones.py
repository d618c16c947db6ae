"""Phone cells in every everyday form become one E.164 number, or fail their row (no database)."""

import random
import re

import phonenumbers
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from imports.parsers import RowError, clean_row, parse_phone
from tests.fuzz import examples

ASCII_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def reference(text: str) -> str | None:
    """What plain phonenumbers makes of a cell: E.164, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def ours(value) -> str | None:
    try:
        return parse_phone(value)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "value",
    [
        "+91 98765 43210",
        "+919876543210",
        "+91-98765-43210",
        "(+91) 98765 43210",
        "098765-43210",
        "09876543210",
        "9876543210",
        "98765 43210",
        "98765.43210",
        "91 9876543210",
        "919876543210",
        "0091 98765 43210",
        " 9876543210 ",
        9876543210.0,  # an XLSX number cell
        9876543210,
        "9876543210.0",  # a number cell that went through a CSV export
        '="+919876543210"',  # our own CSV export's text form
        '="9876543210"',
        "'+919876543210",  # neutralized by a spreadsheet export
        "+91 ९८७६५ ४३२१०",  # Devanagari digits
    ],
)
def test_everyday_indian_forms_normalize_to_e164(value):
    assert parse_phone(value) == "+919876543210"


@pytest.mark.parametrize(
    ("value", "e164"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+971 50 123 4567", "+971501234567"),
        ("0044 20 7946 0958", "+442079460958"),
    ],
)
def test_international_numbers_normalize_to_e164(value, e164):
    assert parse_phone(value) == e164


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345", "“12345” is not a valid phone number."),
        ("98765 4321", "“98765 4321” is not a valid phone number."),
        ("0000000000", "“0000000000” is not a valid phone number."),
        ("+1 415 555 267", "“+1 415 555 267” is not a valid phone number."),
        ("call me", "“call me” is not a phone number."),
        ("N/A", "“N/A” is not a phone number."),
        ("9876543210 / 9876543211", "“9876543210 / 9876543211” is not a phone number."),
        (98765432.5, "“98765432.5” is not a phone number."),
        ("", "The phone number is missing."),
        (None, "The phone number is missing."),
    ],
)
def test_impossible_numbers_fail_with_a_reason(value, reason):
    with pytest.raises(ValueError) as failed:
        parse_phone(value)

    assert str(failed.value) == reason


def test_excel_scientific_notation_fails_with_how_to_fix_it():
    with pytest.raises(ValueError) as failed:
        parse_phone("9.87654E+09")

    assert "shortened by Excel" in str(failed.value)
    assert "Format the column as Text" in str(failed.value)


def test_a_bad_phone_fails_its_row_naming_the_column_and_value():
    values, error = clean_row(["Asha", "98765"], {"name": 0, "phone_number": 1})

    assert values is None
    assert error == RowError("phone_number", "98765", "“98765” is not a valid phone number.")


def test_a_row_without_a_phone_fails_as_missing():
    values, error = clean_row(["Asha", ""], {"name": 0, "phone_number": 1})

    assert values is None
    assert error == RowError("phone_number", "", "The phone number is missing.")


def everyday_forms(national: str) -> list:
    return [
        national,
        f"+91 {national[:5]} {national[5:]}",
        f"+91{national}",
        f"0{national[:5]}-{national[5:]}",
        f"91 {national}",
        f"91{national}",
        f"{national[:3]}-{national[3:6]}-{national[6:]}",
        float(national),
        f"{national}.0",
    ]


def test_the_fast_path_agrees_with_phonenumbers_on_random_mobile_numbers():
    rng = random.Random(20260105)
    disagreements = []
    for _ in range(3000):
        national = rng.choice("6789") + "".join(rng.choices("0123456789", k=9))
        expected = reference(national)
        for form in everyday_forms(national):
            if ours(form) != expected:
                disagreements.append((form, ours(form), expected))

    assert disagreements == []


# Cells as people type them: an optional country prefix, then 8 to 12 digits with separators.
prefixes = st.sampled_from(["", "+91", "+91 ", "+91-", "91", "91 ", "0", "0091 ", "+"])
separators = st.sampled_from(["", "", "", " ", "-", "."])
digit_runs = st.lists(
    st.tuples(st.text("0123456789", min_size=1, max_size=5), separators), min_size=1, max_size=5
)


@settings(max_examples=examples(400))
@given(prefix=prefixes, runs=digit_runs)
@example(prefix="+91 ", runs=[("98765", ""), ("432", "")])
@example(prefix="+91", runs=[("9876543", ""), ("2", "")])
def test_parse_phone_agrees_with_phonenumbers_on_typed_numbers(prefix, runs):
    text = prefix + "".join(digits + separator for digits, separator in runs)
    # "98765432.0" is how a number cell reads after a CSV round trip: its ".0" is not digits.
    assume(not re.fullmatch(r"\d+\.0+", text))

    assert ours(text) == reference(text)


def test_a_short_number_after_plus_91_fails_instead_of_becoming_another_number():
    # "+91 98765432" has 8 digits after the country code: phonenumbers rejects it, but reading
    # its 10 digits "9198765432" as a national number would create the customer +919198765432.
    with pytest.raises(ValueError):
        parse_phone("+91 98765432")


@settings(max_examples=examples(300))
@given(
    first=st.sampled_from("6789"),
    rest=st.text("0123456789०१२३४५६७८९", min_size=9, max_size=9),
)
@example(first="9", rest="८७६५४३२१०")
def test_any_script_of_digits_gives_an_ascii_e164_number(first, rest):
    """Stored numbers are plain ASCII E.164 whatever digits the cell was typed with."""
    result = ours(first + rest)

    assert result is None or ASCII_E164.fullmatch(result)
    assert result == reference(first + rest)
