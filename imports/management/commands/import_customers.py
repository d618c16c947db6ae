"""Import a lead file from the command line: same rules and summary as the upload page."""

import hashlib
import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports.models import FileImport
from imports.services import run_import

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import customers from a CSV or XLSX file, with a progress bar and a summary."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="username",
            help="Sales Manager recorded as the importer (default: the first).",
        )
        assign = parser.add_mutually_exclusive_group()
        assign.add_argument(
            "--assign-to", metavar="USERNAME", help="Give new customers to one counsellor."
        )
        assign.add_argument(
            "--spread",
            action="store_true",
            help="Spread new customers evenly over active counsellors.",
        )

    def handle(self, *args, file, username, assign_to, spread, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        importer = self.importer(username)
        counsellor = self.counsellor(assign_to) if assign_to else None
        data = file.read_bytes()
        with file.open("rb") as handle:
            file_import = FileImport.objects.create(
                file=File(handle, name=file.name),
                file_name=file.name[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                imported_by=importer,
                assign=FileImport.Assign.SPREAD
                if spread
                else FileImport.Assign.ONE
                if counsellor
                else FileImport.Assign.NOBODY,
                assign_to=counsellor,
            )
        file_import.claim()
        run_import(file_import, progress=self.show_progress)
        self.stderr.write("")
        self.summarize(file_import)
        if file_import.is_failed:
            raise CommandError(file_import.error_message)

    def importer(self, username):
        managers = User.objects.managers().filter(is_active=True)
        user = managers.filter(username=username).first() if username else managers.first()
        if user is None:
            raise CommandError(
                f"No active Sales Manager called {username!r}."
                if username
                else "Create a Sales Manager first."
            )
        return user

    def counsellor(self, username):
        user = User.objects.assignable().filter(username=username).first()
        if user is None:
            raise CommandError(f"No active Student Counsellor called {username!r}.")
        return user

    def show_progress(self, file_import):
        done, total = file_import.processed_rows, file_import.total_records or 1
        filled = int(BAR_WIDTH * done / total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {done:,}/{total:,} rows")
        sys.stderr.flush()

    def summarize(self, fi):
        self.stdout.write(f"{fi.file_name}: {fi.get_status_display()}")
        self.stdout.write(
            f"  rows {fi.total_records:,}: created {fi.created_records:,}, "
            f"updated {fi.updated_records:,}, unchanged {fi.unchanged_records:,}, "
            f"failed {fi.failed_records:,} ({fi.merged_records:,} repeated phones merged"
            + (f", {fi.warned_records:,} imported with a warning)" if fi.warned_records else ")")
        )
        recognised = fi.columns.get("recognised", [])
        if recognised:
            self.stdout.write("  columns: " + ", ".join(f"{v} → {k}" for k, v in recognised))
        if fi.columns.get("ignored"):
            self.stdout.write("  ignored: " + ", ".join(fi.columns["ignored"]))
        for error in fi.row_errors.all()[:20]:
            kind = "warning: " if error.warning else ""
            self.stdout.write(f"  row {error.row_number} ({error.column}): {kind}{error.reason}")
        if fi.failed_records + fi.warned_records > 20:
            more = fi.failed_records + fi.warned_records - 20
            self.stdout.write(f"  … and {more:,} more rows (see the import page)")
