from django_tasks import task

from .models import FileImport
from .services import run_import


@task()
def import_file(import_id: str) -> None:
    """Run a queued import in the background worker; skip it if another worker claimed it."""
    file_import = FileImport.objects.select_related("imported_by", "assign_to").get(pk=import_id)
    if file_import.claim():
        run_import(file_import)
