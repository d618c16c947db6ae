"""A daemon thread that keeps a worker's heartbeat row fresh while the worker runs tasks."""

import logging
import threading

from django.db import DatabaseError, connection

from .models import BEAT_SECONDS, WorkerHeartbeat

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    """Beat for `worker_id` every `interval` seconds until `stop()`, which removes the row.

    A thread, because the worker's loop belongs to django-tasks-db and may spend minutes in
    one import: the process is alive and busy then, and the beat says so. When the process
    dies, the beats stop and the row ages past STALE_AFTER.
    """

    def __init__(self, worker_id: str, interval: float = BEAT_SECONDS):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            WorkerHeartbeat.objects.forgotten().delete()
            while True:
                self.beat()
                if self.stopped.wait(self.interval):
                    return
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        try:
            WorkerHeartbeat.objects.beat(self.worker_id)
        except DatabaseError:
            # The database is down or busy: try again next time on a fresh connection.
            logger.warning("Could not record heartbeat of worker %s", self.worker_id, exc_info=True)
            connection.close()

    def stop(self) -> None:
        """Stop beating and delete the row, so /healthz/ stops counting this worker at once."""
        self.stopped.set()
        self.join(timeout=self.interval)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("Could not remove heartbeat of worker %s", self.worker_id, exc_info=True)
