from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import MAX_URL_LENGTH, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.audit import audit, person, share_out
from accounts.decorators import export_allowed, manager_required
from accounts.models import User
from config.htmx import wants_fragment

from . import exports
from .filters import CustomerFilter
from .forms import (
    AssignForm,
    BulkAssignForm,
    BulkStatusForm,
    CallOutcomeForm,
    CounsellorCustomerForm,
    CustomerForm,
    DistributeForm,
    NewCustomerForm,
    ReassignAllForm,
    StatusForm,
    WalkInForm,
)
from .models import UNANSWERED, Customer, call_note
from .pagination import BoundedPaginator


def customer_list(request: HttpRequest) -> HttpResponse:
    template = "customers/_results.html" if wants_fragment(request) else "customers/list.html"
    return render(request, template, list_context(request, request.GET))


def matching(request: HttpRequest, params: QueryDict, *, last_note=False) -> CustomerFilter:
    """The customers this user may see, filtered by the list's query parameters."""
    visible = Customer.objects.visible_to(request.user).select_related("assigned_to")
    if last_note:
        visible = visible.with_last_note()
    return CustomerFilter(params, queryset=visible, user=request.user)


# The sort control's choices (on a phone; wider screens sort by the column headings too).
# The first is each role's default order, sent as no sort at all.
SORTS = [
    ("created", "Oldest first"),
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("area", "Area, A to Z"),
    ("-date", "Latest enquiry first"),
    ("date", "Earliest enquiry first"),
    ("status", "Status, first stage first"),
    ("-status", "Status, furthest stage first"),
    ("-updated", "Recently updated first"),
]
MANAGER_SORTS = [
    ("", "Newest first"),
    ("follow_up", "Follow-up due first"),
    *SORTS,
    ("assigned_to", "Counsellor, A to Z"),
]
COUNSELLOR_SORTS = [("", "Follow-up due first"), ("-created", "Newest first"), *SORTS]


def sort_choices(customer_filter: CustomerFilter, sort: str) -> tuple[list, str]:
    """The sort control's choices and the chosen one; a sort it does not offer (from a
    column heading or a link) is added, so filtering again keeps it."""
    choices = MANAGER_SORTS if customer_filter.user.is_manager else COUNSELLOR_SORTS
    if sort == customer_filter.default_sort():
        return choices, ""
    offered = dict(customer_filter.filters["sort"].extra["choices"])
    if sort not in dict(choices) and sort in offered:
        choices = [*choices, (sort, offered[sort])]
    return choices, sort


def list_context(request: HttpRequest, params: QueryDict) -> dict:
    # "My customers" shows what was said last beside when to call next.
    customer_filter = matching(request, params, last_note=not request.user.is_manager)
    paginator = BoundedPaginator(
        customer_filter.qs,
        settings.CUSTOMERS_PER_PAGE,
        known_count=customer_filter.kept_count(),
        limit=settings.CUSTOMERS_COUNT_LIMIT,
    )
    page = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    # On a phone the checkboxes and bulk actions wait behind "Select" (`select=1`); the
    # links and forms built from `query` leave that mode.
    query.pop("select", None)
    sorts, sort = sort_choices(customer_filter, params.get("sort", ""))
    return {
        "filter": customer_filter,
        "extras": [
            {
                "name": name,
                "label": label,
                "value": value,
                "raw": params.get(name),
                "rest": without(query, name),
            }
            for name, label, value in customer_filter.active_extras()
        ],
        "page": page,
        "page_numbers": paginator.numbers(page.number),
        "query": query.urlencode(),
        "selecting": params.get("select") == "1",
        "sorts": sorts,
        "sort": sort,
        "sorted_by": params.get("sort") or customer_filter.default_sort(),
        "today": timezone.localdate(),
        "statuses": Customer.Status.choices,
        "counsellors": User.objects.assignable() if request.user.is_manager else [],
        # Called only where the export links are drawn (for a counsellor: one query).
        "may_export": request.user.may_export,
    }


@export_allowed
def customer_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    lines = exports.csv_lines(matching(request, request.GET).qs)
    audit("customers.exported", request, format="csv", filter=request.GET.dict())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_name()}.csv"'
    return response


@export_allowed
def customer_export_xlsx(request: HttpRequest) -> FileResponse:
    audit("customers.exported", request, format="xlsx", filter=request.GET.dict())
    return FileResponse(
        exports.xlsx_file(matching(request, request.GET).qs),
        as_attachment=True,
        filename=f"{export_name()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_name() -> str:
    return "customers-" + timezone.localdate().strftime("%d-%m-%Y")


def without(query: QueryDict, name: str) -> str:
    """The list's query string minus one parameter (a filter chip's "remove" link)."""
    params = query.copy()
    params.pop(name, None)
    return params.urlencode()


def bulk_targets(request: HttpRequest, form):
    """The customers a bulk action applies to: the ticked rows, or all matching the filter."""
    if form.cleaned_data["select_all"]:
        return matching(request, QueryDict(form.cleaned_data["query"])).qs
    return Customer.objects.filter(pk__in=[c.pk for c in form.cleaned_data["customer_ids"]])


def after_bulk_action(request: HttpRequest, form) -> HttpResponse:
    """Show the list again as it was filtered: in place for htmx, by redirect otherwise."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    query = form.data.get("query", "")
    if request.htmx:
        params = QueryDict(query)
        return render(request, "customers/_results.html", list_context(request, params))
    url = reverse("customers:list") + (f"?{query}" if query else "")
    # A query too long to redirect to (nothing the list builds) goes back to the plain list.
    return redirect(url if len(url) <= MAX_URL_LENGTH else reverse("customers:list"))


@require_POST
@manager_required
def customer_bulk_assign(request: HttpRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, queryset=Customer.objects.all(), user=request.user)
    if form.is_valid():
        assignee = form.cleaned_data["assigned_to"]
        changed = bulk_targets(request, form).assign_to(assignee, by=request.user)
        audit("customers.assigned", request, count=changed, **person(assignee, "assignee"))
        target = assignee.display_name if assignee else "nobody (unassigned)"
        messages.success(request, f"{customer_count(changed)} assigned to {target}.")
    return after_bulk_action(request, form)


@require_POST
@manager_required
def customer_bulk_status(request: HttpRequest) -> HttpResponse:
    form = BulkStatusForm(request.POST, queryset=Customer.objects.all(), user=request.user)
    if form.is_valid():
        status = form.cleaned_data["status"]
        changed = bulk_targets(request, form).change_status(
            status,
            by=request.user,
            note=form.cleaned_data["notes"],
            follow_up_on=form.cleaned_data["follow_up_on"],
        )
        label = Customer.Status(status).label
        audit("customers.status_changed", request, count=changed, status=status)
        messages.success(request, f"{customer_count(changed)} moved to “{label}”.")
    return after_bulk_action(request, form)


@require_POST
@manager_required
def customer_distribute(request: HttpRequest) -> HttpResponse:
    """Preview, then (with `confirm`) share the picked customers between counsellors."""
    form = DistributeForm(request.POST, queryset=Customer.objects.all(), user=request.user)
    if not form.is_valid():
        return after_bulk_action(request, form)
    customers = bulk_targets(request, form)
    counsellors = form.cleaned_data["counsellors"] or User.objects.assignable()
    if form.cleaned_data["confirm"]:
        shared = customers.distribute(list(counsellors), by=request.user)
        audit("customers.distributed", request, **share_out(shared))
        messages.success(request, shared_message(shared))
        return after_bulk_action(request, form)
    context = share_context(form, customers, counsellors, User.objects.assignable())
    return render(request, "customers/distribute.html", context)


@manager_required
def customer_reassign_all(request: HttpRequest) -> HttpResponse:
    """Move every open customer of one counsellor to others: pick, preview, confirm."""
    form = ReassignAllForm(
        request.POST or None, initial={"from_counsellor": request.GET.get("from")}
    )
    context = {"form": form}
    if form.is_valid():
        leaving = form.cleaned_data["from_counsellor"]
        customers = Customer.objects.open().filter(assigned_to=leaving)
        others = User.objects.assignable().exclude(pk=leaving.pk)
        counsellors = form.cleaned_data["counsellors"] or others
        if form.cleaned_data["confirm"]:
            shared = customers.distribute(list(counsellors), by=request.user)
            audit(
                "customers.reassigned_all", request, **person(leaving, "from"), **share_out(shared)
            )
            messages.success(request, shared_message(shared))
            return redirect(reverse("customers:list") + f"?assigned_to={leaving.pk}")
        context.update(share_context(form, customers, counsellors, others), leaving=leaving)
        context["nobody_to_receive"] = not others.exists()
    return render(request, "customers/reassign_all.html", context)


def share_context(form, customers, counsellors, candidates) -> dict:
    """The preview: for every counsellor who could receive, what they have and would get."""
    shares, loads = customers.share_plan(list(counsellors))
    rows = [
        {
            "counsellor": c,
            "chosen": c in shares,
            "load": loads.get(c),
            "gets": len(shares.get(c, [])),
            "after": loads[c] + len(shares[c]) if c in shares else None,
        }
        for c in candidates
    ]
    return {"form": form, "rows": rows, "total": sum(len(ids) for ids in shares.values())}


def shared_message(shared: dict) -> str:
    given = ", ".join(f"{n} to {c.display_name}" for c, n in shared.items() if n)
    return f"{customer_count(sum(shared.values()))} shared out: {given or 'nothing to share'}."


def customer_count(count: int) -> str:
    """The count with its noun agreeing: "1 customer", "3 customers"."""
    return f"{count} customer{pluralize(count)}"


def customer_create(request: HttpRequest) -> HttpResponse:
    """Managers add and assign; a counsellor adds a walk-in, who is then theirs."""
    form_class = NewCustomerForm if request.user.is_manager else WalkInForm
    form = form_class(request.POST or None, user=request.user)
    if form.is_valid():
        assignee = form.cleaned_data.get("assigned_to") if request.user.is_manager else request.user
        with transaction.atomic():
            customer = form.save()
            customer.assign_to(assignee, by=request.user)
        messages.success(request, f"Customer {customer} added.")
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form})


def customer_edit(request: HttpRequest, pk) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form_class = CustomerForm if request.user.is_manager else CounsellorCustomerForm
    form = form_class(request.POST or None, instance=customer)
    if form.is_valid():
        # Only the form's fields: a status or assignment saved meanwhile must not be undone.
        form.instance.save(update_fields=[*form._meta.fields, "updated_at"])
        messages.success(request, "Changes saved.")
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "customer": customer})


def customer_detail(request: HttpRequest, pk) -> HttpResponse:
    customer = get_object_or_404(
        Customer.objects.visible_to(request.user).select_related("assigned_to"), pk=pk
    )
    return render(request, "customers/detail.html", detail_context(request, customer))


def detail_context(request, customer, status_form=None):
    return {
        "customer": customer,
        "status_form": status_form or StatusForm(customer=customer),
        "assign_form": AssignForm(initial={"assigned_to": customer.assigned_to_id})
        if request.user.is_manager
        else None,
        "timeline": customer.timeline(),
    }


@require_POST
def customer_change_status(request: HttpRequest, pk) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = StatusForm(request.POST, customer=customer)
    if form.is_valid():
        data = form.cleaned_data
        customer.record_progress(
            by=request.user,
            status=data["status"],
            note=data["notes"],
            follow_up_on=data["follow_up_on"],
            follow_up_time=data["follow_up_time"],
        )
        messages.success(request, f"Saved: “{customer.get_status_display()}”.")
        if not request.htmx:
            return redirect("customers:detail", pk=customer.pk)
        form = None
    context = detail_context(request, customer, status_form=form)
    if request.htmx:
        return render(request, "customers/_status_panel.html", context)
    return render(request, "customers/detail.html", context, status=400)


@require_POST
def customer_record_call(request: HttpRequest, pk) -> HttpResponse:
    """How a call went, from a My day card or a row of My customers, without opening the
    customer: the card (htmx) or the list (htmx, or its bulk form without JavaScript) is shown
    again; a plain form goes back to the page it came from."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = CallOutcomeForm(request.POST)
    recorded = record_call(request, customer, form) if form.is_valid() else ""
    if "query" in request.POST:  # a row of the list: its bulk form carries the list's query
        if recorded:
            messages.success(request, recorded)
        return after_bulk_action(request, form)
    if request.htmx or not recorded:
        return call_card(request, customer, form, recorded)
    messages.success(request, recorded)
    return redirect(safe_next(request, form) or reverse("customers:detail", args=[customer.pk]))


def record_call(request: HttpRequest, customer: Customer, form) -> str:
    """Record the call a valid `CallOutcomeForm` describes; return what the counsellor reads."""
    data = form.cleaned_data
    attempt = customer.record_call(
        data["outcome"],
        by=request.user,
        status=data["status"] or None,
        note=data["note"],
        follow_up_on=data["follow_up_on"],
        follow_up_time=data["follow_up_time"],
    )
    return call_recorded(customer, data["outcome"], attempt)


def call_card(request: HttpRequest, customer: Customer, form, recorded: str) -> HttpResponse:
    """The My day card again, what was typed kept: swapped in by htmx, or, refused without
    JavaScript, on a page of its own."""
    context = {
        "customer": Customer.objects.filter(pk=customer.pk).with_last_note().get(),
        "today": timezone.localdate(),
        "call_form": CallOutcomeForm(initial={"next": data_next(form)}) if recorded else form,
        "recorded": recorded,
    }
    if request.htmx:
        return render(request, "dashboard/_call_card.html", context)
    return render(request, "customers/record_call.html", context, status=400)


def call_recorded(customer: Customer, outcome: str, attempt: int) -> str:
    """What the counsellor reads after recording a call."""
    said = call_note(outcome, attempt)
    if outcome in UNANSWERED and customer.follow_up_on:
        when = customer.follow_up_on.strftime("%a %d/%m/%Y")
        at = customer.follow_up_time.strftime(" at %H:%M") if customer.follow_up_time else ""
        return f"{customer}: {said}. Next call {when}{at}."
    return f"{customer}: {said}, now “{customer.get_status_display()}”."


def data_next(form) -> str:
    return form.data.get("next", "")


def safe_next(request: HttpRequest, form) -> str:
    """The page the form came from, if it is one of ours."""
    url = data_next(form)
    ours = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if ours else ""


@require_POST
@manager_required
def customer_assign(request: HttpRequest, pk) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        assignee = form.cleaned_data["assigned_to"]
        if customer.assign_to(assignee, by=request.user):
            audit(
                "customers.assigned",
                request,
                count=1,
                customer_id=str(customer.pk),
                **person(assignee, "assignee"),
            )
            target = assignee.display_name if assignee else "nobody"
            messages.success(request, f"Assigned to {target}.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("customers:detail", pk=customer.pk)
