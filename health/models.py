"""Import workers' heartbeats: django-tasks-db records which worker claimed a task, never
whether a worker is alive while the queue is empty. Our `db_worker` writes one row per process."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

# A worker writes its row every BEAT_SECONDS and counts as alive while the row is younger than
# STALE_AFTER (a few missed beats: a busy database, a long batch holding SQLite's write lock).
BEAT_SECONDS = 15
STALE_AFTER = timedelta(seconds=60)
# Rows of workers that were killed without cleaning up are deleted when the next worker starts.
FORGET_AFTER = timedelta(days=1)


class WorkerHeartbeatQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(beat_at__gte=timezone.now() - STALE_AFTER)

    def forgotten(self):
        return self.filter(beat_at__lt=timezone.now() - FORGET_AFTER)

    def beat(self, worker_id: str) -> None:
        """Record that `worker_id` is alive now, creating its row on the first beat."""
        now = timezone.now()
        if not self.filter(worker_id=worker_id).update(beat_at=now):
            self.create(worker_id=worker_id, started_at=now, beat_at=now)


class WorkerHeartbeat(models.Model):
    """One running `manage.py db_worker` process and the last time it said it was alive."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self):
        return self.worker_id
