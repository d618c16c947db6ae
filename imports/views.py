import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.audit import audit
from accounts.decorators import manager_required
from config.htmx import wants_fragment
from customers.exports import Echo, neutralize

from .forms import ImportForm
from .models import FileImport
from .tasks import import_file

HISTORY_LIMIT = 100
ERRORS_SHOWN = 200


@manager_required
def import_list(request: HttpRequest) -> HttpResponse:
    FileImport.objects.fail_stalled()
    imports = FileImport.objects.select_related("imported_by")[:HISTORY_LIMIT]
    return render(request, "imports/list.html", {"imports": imports})


@manager_required
def import_create(request: HttpRequest) -> HttpResponse:
    # Bound on every POST: one whose only field Django dropped (a file name it cannot store,
    # found by `make fuzz`) gets "This field is required", not the blank form again.
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        file_import = FileImport.objects.create(
            file=upload,
            file_name=upload.name[:255],
            sha256=form.sha256,
            format=form.table.format,
            total_records=form.table.total,
            imported_by=request.user,
            assign=form.cleaned_data["assign"],
            assign_to=form.cleaned_data["assign_to"],
        )
        audit(
            "import.started",
            request,
            import_id=str(file_import.pk),
            file_name=file_import.file_name,
            format=file_import.format,
            total_records=file_import.total_records,
            assign=file_import.assign,
        )
        import_file.enqueue(str(file_import.pk))
        return redirect("imports:detail", pk=file_import.pk)
    return render(request, "imports/form.html", {"form": form})


@manager_required
def import_detail(request: HttpRequest, pk) -> HttpResponse:
    FileImport.objects.fail_stalled()
    file_import = get_object_or_404(FileImport.objects.select_related("imported_by"), pk=pk)
    template = "imports/_status.html" if wants_fragment(request) else "imports/detail.html"
    return render(request, template, detail_context(file_import))


def detail_context(file_import: FileImport) -> dict:
    earlier = (
        FileImport.objects.filter(
            sha256=file_import.sha256, imported_at__lt=file_import.imported_at
        )
        .select_related("imported_by")
        .first()
    )
    return {
        "import": file_import,
        "errors": file_import.row_errors.failures()[:ERRORS_SHOWN]
        if file_import.is_finished
        else [],
        "warnings": file_import.row_errors.warnings()[:ERRORS_SHOWN]
        if file_import.is_finished and file_import.warned_records
        else [],
        "merged": file_import.merged_rows.all()[:ERRORS_SHOWN] if file_import.is_finished else [],
        "earlier": earlier,
    }


@require_POST
@manager_required
def import_retry(request: HttpRequest, pk) -> HttpResponse:
    file_import = get_object_or_404(FileImport, pk=pk)
    if file_import.can_resume:
        file_import.requeue()
        audit("import.resumed", request, import_id=str(file_import.pk))
        import_file.enqueue(str(file_import.pk))
        messages.success(request, "The import is running again from where it stopped.")
    else:
        messages.error(request, "Only an import that stopped part-way can be run again.")
    return redirect("imports:detail", pk=file_import.pk)


@manager_required
def import_errors_csv(request: HttpRequest, pk) -> StreamingHttpResponse:
    """The failed rows as they were in the file plus an `error` column, to fix and upload again;
    rows imported with a warning are there too, their reason starting "Warning:"."""
    file_import = get_object_or_404(FileImport, pk=pk)
    header = file_import.columns.get("header", [])
    writer = csv.writer(Echo())

    width = len(header)

    def rows():
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM.
        yield writer.writerow([*header, "error"])
        for error in file_import.row_errors.iterator(chunk_size=2000):
            cells = [neutralize(cell) for cell in error.cells]
            # Keep the reason under `error` even when a row is shorter or longer than the header.
            extra = cells[width:] if any(cells[width:]) else []
            cells = cells[:width] + [""] * (width - len(cells))
            reason = f"Warning: {error.reason}" if error.warning else error.reason
            yield writer.writerow([*cells, f"Row {error.row_number}: {reason}", *extra])

    stem = file_import.file_name.rsplit(".", 1)[0]
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    return response
