from dataclasses import dataclass
from datetime import date, timedelta

from django import forms

from customers import dates

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
# A year of days is as much as a per-day chart can show.
LONGEST = 366
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class Period:
    """Local dates from `since` to `until`, both included; `days` is the preset, if any."""

    since: date
    until: date
    days: int | None = None

    @classmethod
    def last(cls, days: int, today: date) -> "Period":
        return cls(today - timedelta(days=days - 1), today, days)

    @property
    def length(self) -> int:
        return (self.until - self.since).days + 1

    def dates(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range(self.length)]

    def as_filter(self) -> dict:
        """The customer list's parameters for status changes within this period."""
        return {"changed_after": self.since, "changed_before": self.until}

    def as_query(self) -> dict:
        """The dashboard's own parameters that choose this period again."""
        if self.days:
            return {"days": self.days}
        return {"start": self.since.isoformat(), "end": self.until.isoformat()}


class PeriodForm(forms.Form):
    """The manager dashboard's period: the last 7, 30 or 90 days, or a range of dates."""

    days = forms.TypedChoiceField(
        choices=[(n, f"{n} days") for n in PRESETS], coerce=int, required=False
    )
    start = dates.DateField(label="From", required=False, years=YEARS)
    end = dates.DateField(label="To", required=False, years=YEARS)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The period has to start before it ends.")
            if (end - start).days + 1 > LONGEST:
                raise forms.ValidationError(f"Choose a period of at most {LONGEST} days.")
        elif (start or end) and not self.errors:
            raise forms.ValidationError("Choose both dates of the period, or a number of days.")
        return data

    def period(self, today: date) -> Period:
        """The chosen period; the default one when nothing (or nothing valid) was chosen."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data["start"]:
                return Period(data["start"], data["end"])
            if data["days"]:
                return Period.last(data["days"], today)
        return Period.last(DEFAULT_DAYS, today)
