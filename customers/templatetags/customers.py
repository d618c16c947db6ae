from django import template
from django.http import QueryDict
from django.utils.html import format_html_join

from customers.models import UNANSWERED, CallOutcome, Customer

register = template.Library()

S = Customer.Status
QUICK_CALL_OUTCOMES = [
    (outcome.value, outcome.label) for outcome in (*UNANSWERED, CallOutcome.WRONG_NUMBER)
]
# Full class strings, so Tailwind's scanner finds them in this file.
BADGE_CLASSES = {
    S.NEW: "bg-sky-100 text-sky-800 ring-sky-600/20",
    S.INVALID: "bg-stone-200 text-stone-700 ring-stone-500/20",
    S.VALID: "bg-teal-100 text-teal-800 ring-teal-600/20",
    S.CALL_NOT_ATTENDED: "bg-amber-100 text-amber-800 ring-amber-600/20",
    S.PLAN_PRESENTED: "bg-indigo-100 text-indigo-800 ring-indigo-600/20",
    S.INTERESTED: "bg-lime-100 text-lime-800 ring-lime-600/20",
    S.NOT_INTERESTED: "bg-rose-100 text-rose-800 ring-rose-600/20",
    S.FOLLOW_UP: "bg-orange-100 text-orange-800 ring-orange-600/20",
    S.SHORTLISTED: "bg-violet-100 text-violet-800 ring-violet-600/20",
    S.CAMPUS_VISIT: "bg-fuchsia-100 text-fuchsia-800 ring-fuchsia-600/20",
    S.REGISTRATION: "bg-cyan-100 text-cyan-800 ring-cyan-600/20",
    S.ADMISSION: "bg-emerald-700 text-white ring-emerald-800/30",
}


@register.inclusion_tag("components/_status_badge.html")
def status_badge(status):
    """A coloured pill for a status value (`Customer.Status` or its stored string)."""
    status = S(status)
    return {"label": status.label, "classes": BADGE_CLASSES[status]}


@register.simple_tag(takes_context=True)
def sort_url(context, field):
    """The list URL sorted by `field`, toggling direction when it is already the sort key."""
    params = QueryDict(context["query"], mutable=True)
    params["sort"] = f"-{field}" if params.get("sort") == field else field
    return f"?{params.urlencode()}"


@register.simple_tag
def quick_call_outcomes():
    """The one-tap call outcomes as (value, label), in the order of their buttons."""
    return QUICK_CALL_OUTCOMES


@register.simple_tag
def status_options(field):
    """A status select's <option>s, the field's value selected: built once per form, however
    many My day cards share it."""
    if not hasattr(field.form, "_status_options"):
        chosen = field.value()
        choices = [
            (value, " selected" if value == chosen else "", label)
            for value, label in field.field.choices
        ]
        options = format_html_join("", '<option value="{}"{}>{}</option>', choices)
        field.form._status_options = options
    return field.form._status_options


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The list URL at another page, keeping every filter and the sort."""
    params = QueryDict(context["query"], mutable=True)
    params["page"] = number
    return f"?{params.urlencode()}"
