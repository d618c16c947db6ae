"""Days for tests of typed dates."""

from datetime import date, timedelta

from django.utils import timezone


def soon() -> date:
    """A day ahead whose day and month could be swapped into another real date (9 April, not
    25 April): read month first by mistake, it would save another day, not fail."""
    day = timezone.localdate() + timedelta(days=1)
    while day.day > 12 or day.day == day.month:
        day += timedelta(days=1)
    return day
