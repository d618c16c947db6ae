"""/healthz/: can this web process reach its database, and is anyone working the import queue?

Open to anyone (load balancers and container health checks do not log in), so it says nothing
about customers, users or configuration: counts and times only.
"""

import logging

from django import db
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import STALE_AFTER, WorkerHeartbeat

logger = logging.getLogger(__name__)


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    # db.Error: any database failure, a closed connection (InterfaceError) included.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except db.Error:
        logger.warning("Health check: the database is unreachable", exc_info=True)
        return failure("unreachable")
    try:
        # Only the database backend has a queue and workers to report; an immediate backend
        # (Vercel) runs each import inside its upload request.
        queued = isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
        report = {"worker": worker_report(), "queue": queue_report()} if queued else {}
    except db.Error:
        # Reachable but not usable, e.g. migrations not applied yet.
        logger.warning("Health check: the database answered but a query failed", exc_info=True)
        return failure("error")
    return JsonResponse({"status": "ok", "database": "ok", "worker": None, "queue": None, **report})


def failure(database: str) -> JsonResponse:
    body = {"status": "error", "database": database, "worker": None, "queue": None}
    return JsonResponse(body, status=503)


def worker_report() -> dict:
    last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last is None:
        return {"last_heartbeat": None, "age_seconds": None, "alive": False}
    age = max((timezone.now() - last).total_seconds(), 0)
    return {
        "last_heartbeat": last.isoformat(),
        "age_seconds": round(age),
        "alive": age <= STALE_AFTER.total_seconds(),
    }


def queue_report() -> dict:
    ready, running = TaskResultStatus.READY, TaskResultStatus.RUNNING
    counts = dict(
        DBTaskResult.objects.filter(status__in=[ready, running])
        .order_by()
        .values_list("status")
        .annotate(Count("pk"))
    )
    return {"ready": counts.get(ready, 0), "running": counts.get(running, 0)}
