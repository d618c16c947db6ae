"""Commit an import: the one workflow that spans uploaded files, customers and their history."""

import logging
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from customers.models import Customer

from . import sql
from .models import FileImport, ImportMergedRow, ImportRowError
from .parsers import FileRejected, Limits, Table, cell_text, clean_row, read_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
UPDATABLE = ("name", "area", "date", "remark")
RETRIES = 3


class ImportTakenOver(Exception):
    """The import is no longer ours to run: marked stalled and run again by another worker."""


def limits() -> Limits:
    return Limits(
        max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_xlsx_uncompressed_bytes=settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
        max_xlsx_entries=settings.IMPORT_MAX_XLSX_ENTRIES,
    )


def run_import(file_import: FileImport, progress: Callable[[FileImport], None] | None = None):
    """Import every row not yet counted, batch by batch; end as done or failed with a reason.

    Each batch commits its customers, its error rows and the import's counters in one
    transaction, so a crash leaves whole batches only and a re-run resumes after them.
    """
    try:
        with file_import.file.open("rb") as uploaded:
            table = read_table(uploaded.read(), limits())
    except FileRejected as rejection:
        file_import.fail(str(rejection))
        return
    except OSError:
        file_import.fail("The uploaded file is no longer in storage. Upload it again.")
        return
    except Exception as error:
        logger.exception("Import %s could not read its file", file_import.pk)
        file_import.fail(
            f"The file could not be read ({type(error).__name__}). Save it again as CSV or "
            "XLSX and upload the new file."
        )
        return
    describe_table(file_import, table)
    assignees = import_assignees(file_import)
    seen = first_rows(table, file_import.processed_rows)
    remaining = table.rows[file_import.processed_rows :]
    try:
        for start in range(0, len(remaining), BATCH_SIZE):
            commit_batch(file_import, table, remaining[start : start + BATCH_SIZE], seen, assignees)
            if progress:
                progress(file_import)
    except ImportTakenOver:
        logger.warning("Import %s was taken over by another run; this one stops", file_import.pk)
        return
    except Exception as error:
        logger.exception("Import %s failed", file_import.pk)
        file_import.fail(
            f"The import stopped after {file_import.processed_rows:,} of "
            f"{file_import.total_records:,} rows because of an unexpected error "
            f"({type(error).__name__}). The rows counted are saved; press “Run again” to finish."
        )
        return
    file_import.finish()


def describe_table(file_import: FileImport, table: Table):
    file_import.format = table.format
    file_import.total_records = table.total
    file_import.columns = {
        "header": table.header,
        "header_row": table.header_row,
        # Pairs in the file's column order (a JSON object's key order is not kept by jsonb).
        "recognised": [
            [name, table.label(name)] for name in sorted(table.columns, key=table.columns.get)
        ],
        "ignored": table.ignored,
    }
    file_import.save(update_fields=["format", "total_records", "columns"])


def import_assignees(file_import: FileImport) -> list[User]:
    if file_import.assign == FileImport.Assign.ONE and file_import.assign_to:
        # Deactivated since the upload: leave the new customers unassigned for a manager.
        return [file_import.assign_to] if file_import.assign_to.is_active else []
    if file_import.assign == FileImport.Assign.SPREAD:
        return list(User.objects.assignable())
    return []


def first_rows(table: Table, already_done: int) -> dict[str, int]:
    """Phone -> first row number, for rows a previous run already committed."""
    seen = {}
    for number, cells in table.rows[:already_done]:
        values, _ = clean_row(cells, table.columns)
        if values:
            seen.setdefault(values["phone_number"], number)
    return seen


def commit_batch(file_import, table, rows, seen, assignees):
    cleaned = [(number, cells, *clean_row(cells, table.columns)) for number, cells in rows]
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                batch_seen, counts = write_batch(file_import, table, cleaned, seen, assignees)
            break
        except IntegrityError:
            # Someone else created one of these phones meanwhile: read them again and retry.
            if attempt == RETRIES - 1:
                raise
    seen.update(batch_seen)
    for name, value in counts.items():
        setattr(file_import, name, getattr(file_import, name) + value)


def write_batch(file_import, table, cleaned, seen, assignees) -> tuple[dict, dict]:
    # The import row is locked for the batch: if it was marked stalled and resumed elsewhere,
    # its status or progress no longer match this run, which then stops before writing.
    state = FileImport.objects.select_for_update().values_list("status", "processed_rows")
    if state.get(pk=file_import.pk) != (FileImport.Status.RUNNING, file_import.processed_rows):
        raise ImportTakenOver
    phones = {values["phone_number"] for _, _, values, _ in cleaned if values}
    # No row locks: the UPDATE only writes the fields this file changes and takes each
    # customer's other fields as they are at that moment, so an edit made meanwhile survives.
    existing = sql.existing_customers(phones)
    created, changed, counts = {}, {}, Counter()
    errors, merged, batch_seen = [], [], {}
    for number, cells, values, error in cleaned:
        if error:
            errors.append(row_error(file_import, table, number, cells, error))
        if values is None:
            counts["failed"] += 1
            continue
        if error:  # a warning: the row is imported without the value it names
            counts["warned"] += 1
        phone = values["phone_number"]
        first = seen.get(phone) or batch_seen.setdefault(phone, number)
        if first != number:
            merged.append(
                ImportMergedRow(
                    file_import=file_import,
                    row_number=number,
                    first_row_number=first,
                    phone_number=phone,
                )
            )
        customer = created.get(phone) or existing.get(phone)
        if customer is None:
            created[phone] = values
            counts["created"] += 1
        elif fields := merge_values(customer, values):
            counts["updated"] += 1
            if phone not in created:
                changed.setdefault(phone, (customer, set()))[1].update(fields)
        else:
            counts["unchanged"] += 1
    now = timezone.now()
    new_pks = sql.insert_customers(list(created.values()), now)
    sql.update_customers(
        [
            {"pk": customer["pk"], **{n: customer[n] if n in fields else None for n in UPDATABLE}}
            for customer, fields in changed.values()
        ],
        now,
    )
    assign_created(file_import, new_pks, assignees)
    ImportRowError.objects.bulk_create(errors)
    ImportMergedRow.objects.bulk_create(merged)
    increments = {
        "processed_rows": len(cleaned),
        "successful_records": counts["created"] + counts["updated"] + counts["unchanged"],
        "failed_records": counts["failed"],
        "created_records": counts["created"],
        "updated_records": counts["updated"],
        "unchanged_records": counts["unchanged"],
        "merged_records": len(merged),
        "warned_records": counts["warned"],
    }
    FileImport.objects.filter(pk=file_import.pk).update(
        heartbeat_at=now, **{name: F(name) + value for name, value in increments.items()}
    )
    return batch_seen, increments


def merge_values(customer: dict, values: dict) -> list[str]:
    """Fill or replace fields from non-empty cells; never erase. Return the fields changed."""
    changed = []
    for name in UPDATABLE:
        value = values[name]
        if value in ("", None) or customer[name] == value:
            continue
        if isinstance(value, str) and same_text(customer[name], value):
            continue
        customer[name] = value
        changed.append(name)
    return changed


def same_text(stored: str, value: str) -> bool:
    """Equal but for line endings (spreadsheets turn CRLF into LF)."""
    if "\r" not in stored and "\r" not in value:
        return False
    return stored.replace("\r\n", "\n").replace("\r", "\n") == value.replace("\r\n", "\n").replace(
        "\r", "\n"
    )


def row_error(file_import, table, number, cells, error) -> ImportRowError:
    return ImportRowError(
        file_import=file_import,
        row_number=number,
        column=table.label(error.field) if error.field in table.columns else error.field,
        value=error.value,
        reason=error.reason,
        cells=[cell_text(cell) for cell in cells],
        warning=error.warning,
    )


def assign_created(file_import: FileImport, pks: list, assignees: list[User]):
    """Hand new customers out in turn (continuing across batches) and record each assignment."""
    if not pks or not assignees:
        return
    offset = file_import.created_records
    groups: dict[User, list] = {}
    for index, pk in enumerate(pks):
        groups.setdefault(assignees[(offset + index) % len(assignees)], []).append(pk)
    for assignee, pks in groups.items():
        Customer.objects.filter(pk__in=pks).assign_to(assignee, by=file_import.imported_by)
