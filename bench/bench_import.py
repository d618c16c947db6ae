"""`make bench-import`: import 100,000-row CSV and XLSX files into fresh databases and report
rows/s and peak memory, for our importer and for django-import-export on the same files.

Each measurement runs in its own process (so peak RSS is that run's alone) against a database
made for the benchmark: a SQLite file, and when DATABASE_URL points at PostgreSQL, a database
`cms_bench` on that server (dropped and created again for each format).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def child(args):
    """Run one import in this process and print its numbers as JSON."""
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command

    if args.phase == "setup":
        call_command("migrate", verbosity=0)
        from accounts.models import User

        User.objects.create_user("bench", role=User.Role.MANAGER)
        return
    path = Path(args.file)
    started = time.perf_counter()
    if args.engine == "ours":
        rows = import_ours(path)
    else:
        rows = import_iexport(path)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak}))


def import_ours(path):
    import hashlib

    from django.core.files import File

    from accounts.models import User
    from imports.models import FileImport
    from imports.services import run_import

    data = path.read_bytes()
    with path.open("rb") as handle:
        file_import = FileImport.objects.create(
            file=File(handle, name=path.name),
            file_name=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=User.objects.get(username="bench"),
        )
    file_import.claim()
    run_import(file_import)
    assert file_import.is_done, file_import.error_message
    assert file_import.failed_records == 0
    return file_import.processed_rows


def import_iexport(path):
    import tablib
    from import_export import fields, resources, widgets

    from customers.models import Customer

    class CustomerResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="Student Name", default="")
        phone_number = fields.Field(attribute="phone_number", column_name="Mobile No")
        area = fields.Field(attribute="area", column_name="City", default="")
        date = fields.Field(
            attribute="date", column_name="Enquiry Date", widget=widgets.DateWidget("%d/%m/%Y")
        )
        remark = fields.Field(attribute="remark", column_name="Remarks", default="")

        class Meta:
            model = Customer
            fields = ("name", "phone_number", "area", "date", "remark")
            import_id_fields = ("phone_number",)
            use_bulk = True
            batch_size = 2000
            skip_unchanged = True
            skip_diff = True

    if path.suffix == ".csv":
        dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    else:
        dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = CustomerResource().import_data(dataset, raise_errors=True)
    assert not result.has_errors()
    return result.total_rows


def compare_readers(path):
    """Rows/s of the two XLSX readers on the same file: why imports use python-calamine."""
    import io

    import openpyxl
    import python_calamine

    data = path.read_bytes()
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    openpyxl_rate = rows / (time.perf_counter() - started)
    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    rows = len(sheet.to_python())
    calamine_rate = rows / (time.perf_counter() - started)
    print(
        f"XLSX readers on {rows:,} rows: openpyxl read-only {openpyxl_rate:,.0f} rows/s, "
        f"python-calamine {calamine_rate:,.0f} rows/s ({calamine_rate / openpyxl_rate:.0f}×)",
        flush=True,
    )


def run_child(env, *extra):
    out = subprocess.run(
        [sys.executable, __file__, "child", *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        sys.exit(f"benchmark step failed: {' '.join(extra)}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else None


def fresh_database(kind, folder, label):
    if kind == "sqlite":
        db = folder / f"bench-{label}.sqlite3"
        db.unlink(missing_ok=True)
        return f"sqlite:///{db}"
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    for sql in ("DROP DATABASE IF EXISTS cms_bench", "CREATE DATABASE cms_bench"):
        subprocess.run(
            [sys.executable, "-c", POSTGRES_ADMIN, os.environ["DATABASE_URL"], sql], check=True
        )
    return f"{server}/cms_bench"


POSTGRES_ADMIN = """
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1]); conn.autocommit = True
conn.cursor().execute(sys.argv[2])
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-baseline", action="store_true", help="only our importer")
    args = parser.parse_args()
    from make_lead_files import write_csv, write_xlsx

    kinds = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        kinds.append("postgresql")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"Writing {args.rows:,}-row files ...", flush=True)
        files = {}
        for fmt, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
            files[fmt] = folder / f"leads.{fmt}"
            writer(files[fmt], args.rows)
            files[f"{fmt}-changed"] = folder / f"leads-changed.{fmt}"
            writer(files[f"{fmt}-changed"], args.rows, remark_suffix=" (updated)")
        compare_readers(files["xlsx"])
        engines = ["ours"] if args.skip_baseline else ["ours", "django-import-export"]
        for kind in kinds:
            for fmt in ("csv", "xlsx"):
                for engine in engines:
                    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-only")
                    env["DATABASE_URL"] = fresh_database(kind, folder, f"{fmt}-{engine}")
                    env["IMPORT_MAX_ROWS"] = str(max(args.rows, 200_000))
                    env["MEDIA_ROOT"] = str(folder / "media")  # uploaded copies go with the tmp
                    run_child(env, "--phase", "setup")
                    for phase, key in (
                        ("new", fmt),
                        ("same again", fmt),
                        ("all changed", f"{fmt}-changed"),
                    ):
                        numbers = run_child(
                            env, "--phase", "import", "--engine", engine, "--file", str(files[key])
                        )
                        numbers.update(db=kind, fmt=fmt, engine=engine, phase=phase)
                        results.append(numbers)
                        print(
                            f"  {kind:<10} {fmt:<4} {engine:<21} {phase:<11} "
                            f"{numbers['rows'] / numbers['seconds']:>9,.0f} rows/s "
                            f"{numbers['peak_mb']:>6.0f} MB",
                            flush=True,
                        )
    print_table(results)


def print_table(results):
    ours = {(r["db"], r["fmt"], r["phase"]): r for r in results if r["engine"] == "ours"}
    theirs = {(r["db"], r["fmt"], r["phase"]): r for r in results if r["engine"] != "ours"}
    print()
    print(
        "| database | format | import | rows | our rows/s | peak MB | "
        "django-import-export rows/s | peak MB | ours ÷ theirs |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for key, r in ours.items():
        rate = r["rows"] / r["seconds"]
        other = theirs.get(key)
        other_rate = other["rows"] / other["seconds"] if other else None
        print(
            f"| {key[0]} | {key[1]} | {key[2]} | {r['rows']:,} | {rate:,.0f} | "
            f"{r['peak_mb']:.0f} | "
            + (
                f"{other_rate:,.0f} | {other['peak_mb']:.0f} | {rate / other_rate:.1f}× |"
                if other
                else "– | – | – |"
            )
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child_parser = argparse.ArgumentParser()
        child_parser.add_argument("child")
        child_parser.add_argument("--phase", required=True)
        child_parser.add_argument("--engine", default="ours")
        child_parser.add_argument("--file")
        child(child_parser.parse_args())
    else:
        main()
