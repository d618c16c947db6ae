"""Date boxes for hand-written forms (the list's bulk bar) and quick date picks beside them."""

from django import template
from django.utils import timezone

from customers.dates import DateInput, TimeInput, quick_dates

register = template.Library()


@register.simple_tag
def date_input(name, id, value=None, **attrs):
    """A day-first date box like the ones Django forms render, for a form written by hand
    (`id` may be empty when a label wraps the box, as on My day's repeated cards)."""
    return DateInput(attrs={"id": id, **attrs} if id else attrs).render(name, value)


@register.simple_tag
def time_input(name, id, value=None, **attrs):
    """A 24-hour time box like the ones Django forms render, for a form written by hand."""
    return TimeInput(attrs={"id": id, **attrs} if id else attrs).render(name, value)


@register.inclusion_tag("components/_quick_dates.html")
def quick_date_picks(for_id):
    """Buttons that fill the date box `for_id` with a near day; shown by static/js/app.js."""
    return {"for_id": for_id, "picks": quick_dates(timezone.localdate())}
