"""Dates and times as people here type and read them: day first (DD/MM/YYYY), 24-hour clock.

A browser draws <input type="date"> and <input type="time"> in the order of its own language:
12/08/2026 and 04:30 PM in US English, beside pages that say 08/12/2026 and 16:30. So a date or
a time a person types goes in a plain text box, and is read here; static/js/app.js only adds
quick picks ("Tomorrow", "In a week") on top.

What is read, so what a counsellor in India is likely to type works:
- dates: 08/12/2026, 8/12/2026, 08-12-2026, 08.12.2026, 8/12/26 (a two-digit year is this
  century's), 08122026 (a phone's number pad may have no "/"), and 2026-12-08 (the ISO form
  that links and other programs use). Never month first: 12/25/2026 is refused, saying so.
- times: 16:30, 9:05, 16.30, 1630, 4:30 pm, 4pm.
"""

import calendar
import re
from datetime import date, time, timedelta

from django import forms

from .models import next_working_day

DATE_HINT = "DD/MM/YYYY"
TIME_HINT = "HH:MM"
DATE_EXAMPLE = "25/12/2026"
# Read by the server and, as the pattern attribute, by the browser before anything is sent
# (without JavaScript too). ASCII digits only; written so that it also compiles as a
# JavaScript regular expression with the `v` flag, as browsers compile `pattern`.
DATE_SHAPE = (
    r"([0-9]{1,2})\s*[\/.\-]\s*([0-9]{1,2})\s*[\/.\-]\s*([0-9]{4}|[0-9]{2})"
    r"|([0-9]{2})([0-9]{2})([0-9]{4})"
    r"|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
)
TIME_SHAPE = (
    r"([0-9]{1,2})\s*[:.]\s*([0-9]{2})(?:\s*([AaPp])[Mm])?"
    r"|([0-9]{2})([0-9]{2})"
    r"|([0-9]{1,2})\s*([AaPp])[Mm]"
)
YEARS = range(1900, 2101)


def html_pattern(shape: str) -> str:
    """`shape` as a pattern attribute: the browser matches the whole value, spaces and all."""
    return rf"\s*(?:{shape})\s*"


def parse_date(text: str, years: range = YEARS) -> date:
    """The date `text` names, day first; ValueError with a message for a person otherwise."""
    match = re.fullmatch(DATE_SHAPE, text.strip())
    if not match:
        raise ValueError(f"Type the date as {DATE_HINT}, for example {DATE_EXAMPLE}.")
    parts = match.groups()
    if parts[0] is not None:
        day, month, year = parts[0:3]
    elif parts[3] is not None:
        day, month, year = parts[3:6]
    else:
        year, month, day = parts[6:9]
    day, month, year = int(day), int(month), int(year) + (2000 if len(year) == 2 else 0)
    typed = text.strip()
    if not 1 <= month <= 12:
        raise ValueError(
            f"“{typed}” is not a date: there is no month {month}. "
            f"Type the day first, as {DATE_HINT}."
        )
    if year not in years:
        raise ValueError(f"Choose a date between {years[0]} and {years[-1]}.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"“{typed}” is not a date: {calendar.month_name[month]} {year} has {days} days."
        )
    return date(year, month, day)


def parse_time(text: str) -> time:
    """The time of day `text` names; ValueError with a message for a person otherwise."""
    match = re.fullmatch(TIME_SHAPE, text.strip())
    if not match:
        raise ValueError(f"Type the time as {TIME_HINT} on the 24-hour clock, for example 16:30.")
    parts = match.groups()
    if parts[0] is not None:
        hour, minute, half = parts[0:3]
    elif parts[3] is not None:
        (hour, minute), half = parts[3:5], None
    else:
        hour, minute, half = parts[5], "0", parts[6]
    hour, minute, typed = int(hour), int(minute), text.strip()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"“{typed}” is not a time: with am or pm, hours go from 1 to 12.")
        hour = hour % 12 + (12 if half in "Pp" else 0)
    elif hour > 23:
        raise ValueError(f"“{typed}” is not a time: hours go from 00 to 23.")
    if minute > 59:
        raise ValueError(f"“{typed}” is not a time: minutes go from 00 to 59.")
    return time(hour, minute)


class DateInput(forms.DateInput):
    """A text box for a day-first date, with the digits keyboard on a phone."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": DATE_HINT,
            "pattern": html_pattern(DATE_SHAPE),
            "title": f"Day first: {DATE_HINT}",
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")


class TimeInput(forms.TimeInput):
    """A text box for a time on the 24-hour clock."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": TIME_HINT,
            "pattern": html_pattern(TIME_SHAPE),
            "title": f"24-hour clock: {TIME_HINT}",
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%H:%M")


class DateField(forms.DateField):
    """A date typed day first, refused with a message that says what is wrong with it."""

    widget = DateInput
    default_error_messages = {"required": f"Type a date, as {DATE_HINT}."}

    def __init__(self, *, years: range = YEARS, **kwargs):
        self.years = years
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value), self.years)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class TimeField(forms.TimeField):
    """A time of day typed on the 24-hour clock (or with am/pm)."""

    widget = TimeInput
    default_error_messages = {"required": f"Type a time, as {TIME_HINT}."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        try:
            return parse_time(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


def quick_dates(today: date) -> list[tuple[str, date]]:
    """The follow-up days a counsellor picks most: the next working day and a week on."""
    next_day = next_working_day(today)
    label = "Tomorrow" if next_day == today + timedelta(days=1) else f"{next_day:%A}"
    return [(label, next_day), ("In a week", next_working_day(today + timedelta(days=6)))]
