"""Indian phone numbers: one normalized E.164 form for storage, lenient digits for search."""

import re

import phonenumbers

DEFAULT_REGION = "IN"
NON_DIGITS = re.compile(r"\D")


class InvalidPhoneNumber(ValueError):
    pass


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return `raw` as E.164 (`+919876543210`), or raise InvalidPhoneNumber saying why."""
    text = str(raw).strip()
    if not text:
        raise InvalidPhoneNumber("Enter a phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(f"“{text}” is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"“{text}” is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Show a stored number the way people read it (`+91 98765 43210`)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def search_digits(query: str) -> str:
    """Digits of a search term as they appear inside a stored E.164 number.

    `98765 43210`, `098765-43210` and `+91 98765 43210` all become a substring of `+919876543210`;
    a trunk `0` is dropped because E.164 never contains it.
    """
    digits = NON_DIGITS.sub("", query)
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return digits
