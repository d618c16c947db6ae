from django_tasks import task

from accounts.audit import audit

from .models import FileImport
from .services import run_import

AUDITED_COUNTS = (
    "total_records",
    "created_records",
    "updated_records",
    "unchanged_records",
    "merged_records",
    "failed_records",
)


@task()
def import_file(import_id: str) -> None:
    """Run a queued import in the background worker; skip it if another worker claimed it."""
    file_import = FileImport.objects.select_related("imported_by", "assign_to").get(pk=import_id)
    if file_import.claim():
        run_import(file_import)
        file_import.refresh_from_db()
        if not file_import.is_finished:
            return  # taken over by another worker, which reports its own finish
        counts = {name: getattr(file_import, name) for name in AUDITED_COUNTS}
        audit(
            "import.finished",
            user=file_import.imported_by,
            import_id=str(file_import.pk),
            status=file_import.status,
            **counts,
        )
