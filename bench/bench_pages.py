"""`make bench-pages`: server time and query count of the customer list (filters, searches,
sorts, deep pages), the customer detail, both dashboards and a 10,000-row CSV export, at
10,000, 100,000 and 1,000,000 customers, next to Django's admin changelist on the same query.

    .venv/bin/python bench/bench_pages.py [--sizes 10000,100000] [--repeat 20] [--out FILE]

It runs on a scratch database `cms_bench_pages` on DATABASE_URL's PostgreSQL server (default
postgres://postgres@127.0.0.1:5432/postgres): created and migrated when missing (dropped and
made again with --fresh, or when it holds more customers than the first size), then grown
with bench/dataset.py to each size in turn and left in place for EXPLAINing by hand.

Every request goes through the real middleware stack in this process: `config.settings` with
DEBUG off, static files collected into a temporary folder (the production storage), and
`django.test.Client` logged in with `force_login` (the manager `manager`, the counsellor
`counsellor01`, and a superuser `benchadmin` for the admin). Each URL is requested twice to
warm up, once more to count its queries, then `--repeat` times (fewer when a page has used up
`--max-seconds`), timed with perf_counter around `client.get` and, for the export, around
reading the whole streamed file. Times are medians and 95th percentiles (nearest rank) in ms.

The admin lists 100 customers a page to our 25, counts every match (twice, unfiltered and
filtered), and sorts statuses by name rather than by stage: it is the baseline a developer
would otherwise use, with the same search fields and filters. Deep pages are compared at the
same offset. "ours/admin" below 1 means we are faster.

--out FILE writes the tables as markdown (FILE.md) or JSON with each page's SQL (FILE.json),
for docs/benchmarks.md (give it twice for both); --reference FILE.json supplies the
10,000-customer times of an earlier run for the "at most 1.5 × the time at 10,000" check
when this run does not measure 10,000.
--explain N prints EXPLAIN (ANALYZE, BUFFERS) of the slowest query of the N slowest list
pages at the largest size.
"""

import argparse
import csv
import io
import json
import logging
import math
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import (  # noqa: E402
    COMMON_LAST_NAME,
    RARE_LAST_NAMES,
    customers_in,
    database_exists,
    database_url,
    drop_database,
    ensure_database,
    fill,
    git_version,
    server_url,
)

DATABASE = "cms_bench_pages"
SIZES = (10_000, 100_000, 1_000_000)
LIST_TARGET_MS, DASHBOARD_TARGET_MS, GROWTH_LIMIT = 100, 200, 1.5
KINDS_OF_CHECK = ("target", "growth", "admin")
DEEP_PAGE = 400
COUNSELLOR = "counsellor01"  # the busiest counsellor: the heaviest counsellor pages
EXPORT_ROWS = 10_000


@dataclass
class Page:
    label: str
    kind: str  # list, dashboard, detail or export: which target applies
    url: str
    user: str = "manager"
    admin_url: str | None = None
    shows: str = ""  # what differs between sizes (the parameter's value), for the notes


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    queries: int
    runs: int
    sql: list = field(default_factory=list, repr=False)
    body: bytes = field(default=b"", repr=False)


@dataclass
class Row:
    label: str
    kind: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    runs: int
    note: str = ""
    admin_url: str | None = None
    admin_median_ms: float | None = None
    admin_p95_ms: float | None = None
    admin_queries: int | None = None
    sql: list = field(default_factory=list, repr=False)  # one request's queries

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.admin_median_ms if self.admin_median_ms else None


# --- The database -----------------------------------------------------------------------


def prepare_database(server: str, fresh: bool, first_size: int) -> str:
    """Make sure `cms_bench_pages` exists and holds no more than `first_size` customers;
    return its URL."""
    url = database_url(server, DATABASE)
    if not fresh and database_exists(server, DATABASE):
        held = customers_in(url)
        fresh = held > first_size
        if fresh:
            print(f"{DATABASE} holds {held:,} customers, more than {first_size:,}: remade")
    if fresh:
        drop_database(server, DATABASE)
    ensure_database(url)
    return url


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login
    # Audit lines (one per export) are still formatted and written, but not onto the tables.
    for handler in logging.getLogger("cms.audit").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # open until the process ends


# --- Measuring ----------------------------------------------------------------------------


def fetch(client, url: str) -> bytes:
    """GET `url` over HTTPS (the settings may redirect plain HTTP) and read all of it."""
    response = client.get(url, secure=True)
    if response.status_code != 200:
        where = response.get("Location", "")
        sys.exit(f"GET {url} answered {response.status_code} {where}".rstrip())
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    response.close()
    return body


def measure(requests: list[tuple], repeat: int, max_seconds: float) -> list[Timing]:
    """Time each (client, url) of `requests` `repeat` times, taking turns, so that ours and
    the admin's see the same moments of a machine other people are using too."""
    for client, url in requests:
        for _ in range(2):
            fetch(client, url)
    counted = [count_queries(client, url) for client, url in requests]
    times = [[] for _ in requests]
    started = time.perf_counter()
    for _ in range(repeat):
        for (client, url), series in zip(requests, times, strict=True):
            before = time.perf_counter()
            fetch(client, url)
            series.append((time.perf_counter() - before) * 1000)
        if time.perf_counter() - started > max_seconds and len(times[0]) >= 5:
            break
    return [
        Timing(
            median_ms=statistics.median(series),
            p95_ms=sorted(series)[math.ceil(0.95 * len(series)) - 1],  # nearest rank
            queries=len(sql),
            runs=len(series),
            sql=sql,
            body=body,
        )
        for series, (sql, body) in zip(times, counted, strict=True)
    ]


def count_queries(client, url: str) -> tuple[list[str], bytes]:
    """The SQL of one request, and its body. Apart from the timed requests: recording the
    queries costs a little."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = fetch(client, url)
    # Read now: the next request clears the connection's log.
    return [query["sql"] for query in captured.captured_queries], body


def login_clients() -> dict:
    """A logged-in test client per persona. force_login names the backend: the first one
    configured may be django-axes', which keeps no sessions of its own."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    if not User.objects.filter(username="benchadmin").exists():
        User.objects.create_superuser("benchadmin", "benchadmin@example.com", None)
    model_backend = "django.contrib.auth.backends.ModelBackend"
    backends = settings.AUTHENTICATION_BACKENDS
    backend = model_backend if model_backend in backends else backends[-1]
    clients = {}
    for name, username in (
        ("manager", "manager"),
        ("counsellor", COUNSELLOR),
        ("admin", "benchadmin"),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username), backend=backend)
        clients[name] = client
    return clients


# --- What is measured -----------------------------------------------------------------------


def pages(clients) -> list[Page]:
    """The pages to measure at the current size, with the admin's URL for the same query."""
    from django.conf import settings
    from django.contrib import admin
    from django.utils import timezone

    from accounts.models import User
    from customers.models import Customer

    counsellor = User.objects.get(username=COUNSELLOR)
    model_admin = admin.site._registry[Customer]
    per_admin_page = model_admin.list_per_page
    per_page = settings.CUSTOMERS_PER_PAGE
    columns = list(model_admin.list_display)

    def admin_sort(field_name: str, descending: bool = False) -> str | None:
        if field_name not in columns:
            return None
        return admin_list({"o": f"{'-' if descending else ''}{columns.index(field_name) + 1}"})

    detail = detail_customer()
    digits = detail.phone_number[-8:-2]  # six digits from the middle of a real number
    common, rare = COMMON_LAST_NAME.lower(), RARE_LAST_NAMES[0][:6].lower()
    newest = Customer.objects.order_by("-created_at").values_list("created_at", flat=True)
    cutoff = newest[EXPORT_ROWS - 1] if newest.count() >= EXPORT_ROWS else newest.last()
    export_from = timezone.localdate(cutoff)
    last_page = last_page_offered(clients["manager"])
    total = Customer.objects.count()
    rows = [
        Page("list, unfiltered", "list", customers_list(), admin_url=admin_list()),
        Page("list, page=1", "list", customers_list(page=1), admin_url=admin_list({"p": 1})),
        Page(
            f"list, page={DEEP_PAGE} (deep)",
            "list",
            customers_list(page=DEEP_PAGE),
            admin_url=admin_list({"p": (DEEP_PAGE - 1) * per_page // per_admin_page + 1}),
        ),
        Page(
            "list, last page offered",
            "list",
            customers_list(page=last_page),
            # The admin's own last page: the deepest each list lets people go.
            admin_url=admin_list({"p": max(1, math.ceil(total / per_admin_page))}),
        ),
        Page(
            "list, status=NEW (common)",
            "list",
            customers_list(status="NEW"),
            admin_url=admin_list({"status__exact": "NEW"}),
        ),
        Page(
            "list, status=ADMISSION (rare)",
            "list",
            customers_list(status="ADMISSION"),
            admin_url=admin_list({"status__exact": "ADMISSION"}),
        ),
        Page(
            f"list, assigned_to={COUNSELLOR}",
            "list",
            customers_list(assigned_to=counsellor.pk),
            admin_url=admin_list({"assigned_to__id__exact": counsellor.pk}),
        ),
        Page(
            f"search, name q={common} (common)",
            "list",
            customers_list(q=common),
            admin_url=admin_list({"q": common}),
        ),
        Page(
            f"search, name q={rare} (rare)",
            "list",
            customers_list(q=rare),
            admin_url=admin_list({"q": rare}),
        ),
        Page(
            "search, phone, 6 digits",
            "list",
            customers_list(q=digits),
            admin_url=admin_list({"q": digits}),
            shows=f"q={digits}",
        ),
    ]
    sorts = {
        "name": "name",
        "phone": "phone_number",
        "area": "area",
        "date": "date",
        "status": "status",
        "assigned_to": "assigned_to",
        "created": "created_at",
        "updated": "updated_at",
        "follow_up": "follow_up_on",
    }
    for key, field_name in sorts.items():
        rows.append(
            Page(f"sort={key}", "list", customers_list(sort=key), admin_url=admin_sort(field_name))
        )
    rows.append(
        Page("sort=-name", "list", customers_list(sort="-name"), admin_url=admin_sort("name", True))
    )
    rows += [
        Page(f"{COUNSELLOR}'s own list", "list", customers_list(), user="counsellor"),
        Page("customer detail", "detail", f"/customers/{detail.pk}/"),
        Page("manager dashboard", "dashboard", "/dashboard/"),
        Page(f"counsellor dashboard ({COUNSELLOR})", "dashboard", "/dashboard/", user="counsellor"),
        Page(
            f"export CSV, the newest ~{EXPORT_ROWS:,}",
            "export",
            "/customers/export.csv?" + urlencode({"created_after": export_from.isoformat()}),
            shows=f"created_after={export_from:%Y-%m-%d}",
        ),
    ]
    return rows


def customers_list(**params) -> str:
    return "/customers/" + ("?" + urlencode(params) if params else "")


def admin_list(params: dict | None = None) -> str:
    return "/admin/customers/customer/" + ("?" + urlencode(params) if params else "")


def detail_customer():
    """A customer with a long timeline: three status changes, assignments and a note."""
    from django.db.models import Count

    from customers.models import Customer

    candidates = (
        Customer.objects.filter(status=Customer.Status.ADMISSION, customer_notes__isnull=False)
        .order_by("-created_at")[:200]
        .values("pk")
    )
    return (
        Customer.objects.filter(pk__in=candidates)
        .annotate(changes=Count("status_history"))
        .order_by("-changes", "-created_at")
        .first()
    )


def last_page_offered(client) -> int:
    """The highest page number the unfiltered list links to."""
    html = fetch(client, customers_list()).decode()
    return max([int(n) for n in re.findall(r"[?&;]page=(\d+)", html)] or [1])


def note_for(page: Page, timing: Timing) -> str:
    """What the page showed: how many rows matched, which page, how many rows exported."""
    shown = f"{page.shows}: " if page.shows else ""
    if page.kind == "export":
        rows = list(csv.reader(io.StringIO(timing.body.decode("utf-8-sig"))))
        return f"{shown}{len(rows) - 1:,} rows exported"
    if page.kind != "list":
        return shown.rstrip(": ")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", timing.body.decode()))
    pages = re.search(r"Page ([\d,]+) of ([\d,]+) · ([\d,]+\+?) customers", text)
    if pages:
        return f"{shown}page {pages[1]} of {pages[2]}, {pages[3]} match"
    return f"{shown}{timing.body.count(b'data-customer-row')} match"


def measure_size(size: int, args) -> list[Row]:
    clients = login_clients()
    rows = []
    for page in pages(clients):
        requests = [(clients[page.user], page.url)]
        if page.admin_url:
            requests.append((clients["admin"], page.admin_url))
        ours, *theirs = measure(requests, args.repeat, args.max_seconds)
        row = Row(
            page.label,
            page.kind,
            page.url,
            round(ours.median_ms, 1),
            round(ours.p95_ms, 1),
            ours.queries,
            ours.runs,
            note_for(page, ours),
            sql=ours.sql,
        )
        if theirs:
            (admin,) = theirs
            row.admin_url = page.admin_url
            row.admin_median_ms = round(admin.median_ms, 1)
            row.admin_p95_ms = round(admin.p95_ms, 1)
            row.admin_queries = admin.queries
        rows.append(row)
        baseline = f" | admin {row.admin_median_ms:8.1f} ms" if row.admin_median_ms else ""
        print(
            f"  {page.label:<48} {row.median_ms:8.1f} ms {row.queries:3} queries{baseline}",
            flush=True,
        )
    return rows


# --- Reporting --------------------------------------------------------------------------


def table(size: int, result: dict, repeat: int) -> str:
    grown = f"grown in {result['load_seconds']:.0f} s; " if result["load_seconds"] else ""
    lines = [
        f"### {size:,} customers",
        "",
        f"{grown}{repeat} timed requests a page; load average {result['load_before']:.1f} "
        f"before, {result['load_after']:.1f} after, on {os.cpu_count()} cores",
        "",
        "| page | median ms | p95 ms | queries | admin median ms | admin queries | ours/admin "
        "| notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        admin = (
            f"{row.admin_median_ms:,.1f} | {row.admin_queries} | {row.ratio:.2f}"
            if row.admin_median_ms
            else "– | – | –"
        )
        runs = f" ({row.runs} runs)" if row.runs < repeat else ""
        lines.append(
            f"| {row.label} | {row.median_ms:,.1f} | {row.p95_ms:,.1f} | {row.queries} | "
            f"{admin} | {row.note}{runs} |"
        )
    return "\n".join(lines)


def summary(results: dict, reference: dict) -> tuple[str, list[dict]]:
    """Each page at the largest size against the targets: PASS or FAIL."""
    largest = max(results)
    base = {row.label: row for row in results.get(10_000, {}).get("rows", [])} or reference
    checks = []
    for row in results[largest]["rows"]:
        check = {"page": row.label}
        limit = {"list": LIST_TARGET_MS, "dashboard": DASHBOARD_TARGET_MS}.get(row.kind)
        if limit:
            check["target"] = (row.median_ms < limit, f"{row.median_ms:,.1f} < {limit}")
        small = base.get(row.label)
        if small and largest != 10_000:
            small_ms = small.median_ms if isinstance(small, Row) else small["median_ms"]
            growth = row.median_ms / small_ms
            check["growth"] = (growth <= GROWTH_LIMIT, f"{growth:.2f}× of {small_ms:,.1f}")
        if row.ratio is not None:
            check["admin"] = (row.ratio < 1, f"{row.ratio:.2f}")
        checks.append(check)
    lines = [
        f"### Targets at {largest:,} customers"
        + ("" if largest == 1_000_000 else " (the targets are for 1,000,000)"),
        "",
        f"Lists and searches < {LIST_TARGET_MS} ms and dashboards < {DASHBOARD_TARGET_MS} ms "
        f"median; at most {GROWTH_LIMIT}× the median at 10,000; faster than the admin.",
        "",
        "| page | time target (ms) | growth from 10,000 | ours/admin |",
        "|---|---|---|---|",
    ]

    def cell(check, key):
        if key not in check:
            return "–"
        passed, text = check[key]
        return f"{'PASS' if passed else 'FAIL'} {text}"

    for check in checks:
        lines.append(
            f"| {check['page']} | {cell(check, 'target')} | {cell(check, 'growth')} | "
            f"{cell(check, 'admin')} |"
        )
    outcomes = [check[key][0] for check in checks for key in KINDS_OF_CHECK if key in check]
    lines += ["", f"{outcomes.count(True)} checks pass, {outcomes.count(False)} fail."]
    return "\n".join(lines), checks


def explain_slowest(rows: list[Row], count: int) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each of the slowest list pages."""
    from django.db import connection

    out = []
    lists = sorted((r for r in rows if r.kind == "list"), key=lambda r: -r.median_ms)
    with connection.cursor() as cursor:
        for row in lists[:count]:
            plans = []
            for sql in row.sql:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(line for (line,) in cursor.fetchall())
                took = re.search(r"Execution Time: ([\d.]+) ms", plan)
                plans.append((float(took[1]) if took else 0.0, sql, plan))
            if not plans:
                continue
            took, sql, plan = max(plans)
            out += [
                f"#### {row.label}: {row.median_ms:,.1f} ms median, slowest query {took:.1f} ms",
                "",
                "```sql",
                sql,
                "```",
                "",
                "```",
                plan,
                "```",
                "",
            ]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--max-seconds", type=float, default=30, help="time spent per page")
    parser.add_argument("--counsellors", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--out", action="append", default=[], help="write the tables to this .md or .json file"
    )
    parser.add_argument("--reference", help="an earlier --out .json with 10,000's times")
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    args = parser.parse_args()
    sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    setup_django(prepare_database(server_url(), args.fresh, sizes[0]))

    from django.core.management import call_command
    from django.test.utils import override_settings

    reference = {}
    if args.reference:
        for size in json.loads(Path(args.reference).read_text())["sizes"]:
            if size["customers"] == 10_000:
                reference = {row["label"]: row for row in size["rows"]}
    version = git_version()
    print(f"Code {version}; database {DATABASE}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as static_root, override_settings(STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        for size in sizes:
            print(f"Growing to {size:,} customers ...", flush=True)
            loaded = fill(size, args.counsellors)
            load_seconds = loaded.seconds if loaded.customers else None
            print(f"  loaded in {loaded.seconds:.1f} s" if load_seconds else "  already there")
            load_before = os.getloadavg()[0]
            rows = measure_size(size, args)
            results[size] = {
                "load_seconds": load_seconds,
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
                "rows": rows,
            }
            print()
            print(table(size, results[size], args.repeat), flush=True)
            print()
        text, checks = summary(results, reference)
        print(text)
        explained = explain_slowest(results[max(results)]["rows"], args.explain)
        if explained:
            print()
            print(explained)
    for out in args.out:
        write_out(Path(out), version, args, results, text, checks, explained)


def write_out(path: Path, version, args, results, summary_text, checks, explained):
    if path.suffix == ".json":
        data = {
            "code": version,
            "repeat": args.repeat,
            "sizes": [
                {
                    "customers": size,
                    "load_seconds": result["load_seconds"],
                    "load_average": [result["load_before"], result["load_after"]],
                    "rows": [{**asdict(row), "ratio": row.ratio} for row in result["rows"]],
                }
                for size, result in results.items()
            ],
            "summary": checks,
        }
        path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    else:
        parts = [f"Code {version}.", ""]
        for size, result in results.items():
            parts += [table(size, result, args.repeat), ""]
        parts += [summary_text, "", explained]
        path.write_text("\n".join(parts).rstrip() + "\n")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
