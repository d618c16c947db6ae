"""Phone numbers: one E.164 form for storage, lenient digits for search. No database needed."""

import pytest

from customers.phones import InvalidPhoneNumber, format_phone, normalize_phone, search_digits

STORED = "+919876543210"


@pytest.mark.parametrize(
    "typed",
    [
        "9876543210",
        "98765 43210",
        "+91 98765 43210",
        "+91-98765-43210",
        "098765-43210",
        "919876543210",
        "(0) 98765 43210",
        "  98765 43210  ",
    ],
)
def test_normalize_phone_reads_every_way_an_indian_mobile_is_typed(typed):
    assert normalize_phone(typed) == STORED


def test_normalize_phone_reads_a_landline_with_its_trunk_zero():
    assert normalize_phone("080 2345 6789") == "+918023456789"


def test_normalize_phone_keeps_a_foreign_number_in_its_own_country():
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("98765", "“98765” is not a valid phone number."),
        ("12345678901234567", "“12345678901234567” is not a valid phone number."),
        ("call me", "“call me” is not a phone number."),
        ("abc", "“abc” is not a phone number."),
        ("", "Enter a phone number."),
        ("   ", "Enter a phone number."),
    ],
)
def test_normalize_phone_rejects_what_is_not_a_number_and_says_why(typed, reason):
    with pytest.raises(InvalidPhoneNumber) as error:
        normalize_phone(typed)
    assert str(error.value) == reason


@pytest.mark.parametrize(
    "typed, digits",
    [
        ("98765 43210", "9876543210"),
        ("+91 98765 43210", "919876543210"),
        ("098765-43210", "9876543210"),
        ("9876543210", "9876543210"),
        ("43210", "43210"),
    ],
)
def test_search_digits_are_a_substring_of_the_stored_number(typed, digits):
    assert search_digits(typed) == digits
    assert digits in STORED


def test_search_digits_keeps_a_leading_zero_that_is_not_a_trunk_prefix():
    # Only an 11-digit number starting with 0 is a trunk-prefixed mobile; `0484` is an STD code.
    assert search_digits("0484") == "0484"


def test_search_digits_of_words_is_empty():
    assert search_digits("Anjali Nair") == ""


def test_format_phone_shows_a_stored_number_the_way_people_read_it():
    assert format_phone(STORED) == "+91 98765 43210"


def test_format_phone_leaves_something_unparseable_as_it_is():
    assert format_phone("not a number") == "not a number"
