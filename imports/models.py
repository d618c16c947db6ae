import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

WORKER_PICKUP_SECONDS = 30


class FileImportQuerySet(models.QuerySet):
    def stalled(self):
        """Running imports whose worker has not reported for a while: it was killed or crashed."""
        cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS)
        return self.filter(status=FileImport.Status.RUNNING, heartbeat_at__lt=cutoff)

    def fail_stalled(self) -> int:
        """Mark stalled imports failed; reads first, so the common case writes nothing."""
        if not self.stalled().exists():
            return 0
        return self.stalled().update(
            status=FileImport.Status.FAILED,
            finished_at=timezone.now(),
            error_message=FileImport.STALLED_MESSAGE,
        )


class FileImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "QUEUED", "Queued"
        RUNNING = "RUNNING", "Running"
        DONE = "DONE", "Done"
        FAILED = "FAILED", "Failed"

    class Assign(models.TextChoices):
        NOBODY = "NOBODY", "Leave new customers unassigned"
        ONE = "ONE", "Assign every new customer to one counsellor"
        SPREAD = "SPREAD", "Spread new customers evenly over active counsellors"

    STALLED_MESSAGE = (
        "The import stopped unexpectedly (the background worker was stopped or crashed). "
        "Rows counted below are saved. Press “Run again” to finish the rest: nothing is "
        "imported twice."
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    format = models.CharField(max_length=8, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports"
    )
    imported_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    assign = models.CharField(max_length=10, choices=Assign.choices, default=Assign.NOBODY)
    assign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    total_records = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    successful_records = models.PositiveIntegerField(default=0)
    failed_records = models.PositiveIntegerField(default=0)
    created_records = models.PositiveIntegerField(default=0)
    updated_records = models.PositiveIntegerField(default=0)
    unchanged_records = models.PositiveIntegerField(default=0)
    merged_records = models.PositiveIntegerField(
        default=0, help_text="Rows whose phone number appeared earlier in the same file."
    )
    warned_records = models.PositiveIntegerField(
        default=0, help_text="Rows imported without a value that could not be read."
    )
    columns = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = FileImportQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.CheckConstraint(
                name="import_rows_accounted_for",
                condition=Q(
                    processed_rows=F("created_records")
                    + F("updated_records")
                    + F("unchanged_records")
                    + F("failed_records")
                ),
            ),
            models.CheckConstraint(
                name="import_successes_add_up",
                condition=Q(
                    successful_records=F("created_records")
                    + F("updated_records")
                    + F("unchanged_records")
                ),
            ),
        ]

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def can_resume(self) -> bool:
        return self.status == self.Status.FAILED and self.processed_rows < self.total_records

    @property
    def waiting_for_worker(self) -> bool:
        """Queued for longer than a worker takes to pick anything up: is one running?"""
        queued_since = self.heartbeat_at or self.imported_at
        return self.status == self.Status.QUEUED and (
            timezone.now() - queued_since > timedelta(seconds=WORKER_PICKUP_SECONDS)
        )

    @property
    def percent(self) -> int:
        if not self.total_records:
            return 100 if self.is_finished else 0
        return int(self.processed_rows * 100 / self.total_records)

    def claim(self) -> bool:
        """Move a queued import to running; False when another worker already has it."""
        now = timezone.now()
        claimed = FileImport.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
            status=self.Status.RUNNING, started_at=now, heartbeat_at=now, error_message=""
        )
        if claimed:
            self.refresh_from_db()
        return bool(claimed)

    def requeue(self):
        """Queue a failed import again; it resumes after the rows already counted."""
        self.status, self.finished_at, self.heartbeat_at = self.Status.QUEUED, None, timezone.now()
        self.save(update_fields=["status", "finished_at", "heartbeat_at"])

    def finish(self):
        """Mark done, unless meanwhile it was marked stalled (then it stays failed, resumable)."""
        now = timezone.now()
        if FileImport.objects.filter(pk=self.pk, status=self.Status.RUNNING).update(
            status=self.Status.DONE, finished_at=now
        ):
            self.status, self.finished_at = self.Status.DONE, now

    def fail(self, message: str):
        self.status, self.finished_at = self.Status.FAILED, timezone.now()
        self.error_message = message
        self.save(update_fields=["status", "finished_at", "error_message"])


class ImportRowErrorQuerySet(models.QuerySet):
    def failures(self):
        return self.filter(warning=False)

    def warnings(self):
        return self.filter(warning=True)


class ImportRowError(models.Model):
    """A row that could not be imported, or was imported with a warning, with its original
    cells for the error report."""

    file_import = models.ForeignKey(FileImport, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=200)
    value = models.TextField(blank=True)
    reason = models.TextField()
    cells = models.JSONField(default=list)
    # The row was imported all the same, without the value named (e.g. an unreadable date).
    warning = models.BooleanField(default=False)

    objects = ImportRowErrorQuerySet.as_manager()

    class Meta:
        ordering = ["row_number"]
        indexes = [models.Index(fields=["file_import", "row_number"])]

    def __str__(self):
        return f"Row {self.row_number}: {self.reason}"


class ImportMergedRow(models.Model):
    """A row whose phone number appeared earlier in the same file (merged into one customer)."""

    file_import = models.ForeignKey(
        FileImport, on_delete=models.CASCADE, related_name="merged_rows"
    )
    row_number = models.PositiveIntegerField()
    first_row_number = models.PositiveIntegerField()
    phone_number = models.CharField(max_length=20)

    class Meta:
        ordering = ["row_number"]
        indexes = [models.Index(fields=["file_import", "row_number"])]

    def __str__(self):
        return f"Row {self.row_number} repeats row {self.first_row_number}"
