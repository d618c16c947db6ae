from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from customers.models import Customer


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:index")


def dashboard(request: HttpRequest) -> HttpResponse:
    """Customers per status (with links to the filtered list), for everything the user can see."""
    visible = Customer.objects.visible_to(request.user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = [
        (status, label, counts.get(status, 0)) for status, label in Customer.Status.choices
    ]
    context = {
        "by_status": by_status,
        "total": sum(counts.values()),
        "unassigned": visible.unassigned().count() if request.user.is_manager else None,
    }
    return render(request, "dashboard/index.html", context)
