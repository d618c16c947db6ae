"""django-tasks-db's `db_worker`, plus a heartbeat that /healthz/ reports.

This app is listed before django_tasks_db in INSTALLED_APPS, so `manage.py db_worker` (compose,
`make run`, the tests' real workers) runs this command; every option is the library's own.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from health.heartbeat import Heartbeat


class Command(db_worker.Command):
    help = "Run a database background worker that records its heartbeat for /healthz/"

    def handle(self, *args, **options):
        # With --reload the first process only watches files; the child it starts runs tasks.
        # (The library ignores --reload together with --batch.)
        runs_tasks = (
            not options["reload"]
            or options["batch"]
            or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        )
        if not runs_tasks:
            return super().handle(*args, **options)
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
