"""`make loadtest`: many logged-in users against gunicorn + PostgreSQL with 200,000 customers.

    .venv/bin/python bench/loadtest.py [--users 10,20,30,40,60,80] [--seconds 60] [--out FILE]

1. A scratch database `cms_loadtest` on DATABASE_URL's PostgreSQL server (default
   postgres://postgres@127.0.0.1:5432/postgres): created, migrated and filled by
   bench/dataset.py to --customers customers and --counsellors counsellors (`counsellor01`..
   and `manager`, all with the password PASSWORD below). A database already that size is
   reused (the status changes of earlier runs stay in it); --fresh drops it first. It is left
   in place afterwards, for bench/fault_pg_restart.py and for EXPLAINing by hand.
2. The web process as deployed: `collectstatic` into a temporary folder (a two-line settings
   module there only points STATIC_ROOT at it), then `gunicorn config.wsgi` with the repo's
   gunicorn.conf.py, WEB_CONCURRENCY=--workers processes of GUNICORN_THREADS=--threads threads
   (3 x 4 suits these 2-core machines), DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1.
   Plain HTTP on the loopback, so the HTTPS redirect, HSTS and secure cookies are turned off
   (SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE);
   everything else, login lockout included, is as in production.
3. For each user count, one headless locust run of bench/locustfile.py (what the users do is
   described there): the users start at --spawn-rate a second, each logs in once, then the
   statistics are reset and the mix runs for --seconds. Steps go up until one misses the
   target (any error, or p95 at or above --p95 ms); --keep-going runs them all.

Locust runs on the same machine as gunicorn and PostgreSQL and competes with them for the
two cores; the CPU columns say how much each took, in cores (web: gunicorn's processes; db:
PostgreSQL backends connected to cms_loadtest, approximately, as a backend that ends during a
step is missed; all: the whole machine, other people's work included).
The load average before each step is in the table too.

--out FILE writes the tables as markdown, for docs/benchmarks.md.
"""

import argparse
import csv
import json
import math
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402

PYTHON = Path(sys.executable)
DATABASE = "cms_loadtest"
PASSWORD = "loadtest-pass-2026"
CUSTOMERS, COUNSELLORS = 200_000, 20
USERS = (10, 20, 30, 40, 60, 80)
TARGET_P95_MS = 300
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
# What the load's clients read from our pages, in bench/locustfile.py and
# bench/fault_pg_restart.py (tests/test_loadtest_script.py checks them against real pages).
CUSTOMER_LINK = re.compile(r'href="/customers/([0-9a-f-]{36})/"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELECTED_STATUS = re.compile(r'<option value="([A-Z_]+)" selected>')


def user_counts(text: str) -> list[int]:
    """'10,20,40' -> [10, 20, 40]: positive and increasing."""
    try:
        counts = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of whole numbers: {text!r}") from None
    if not counts or any(n < 1 for n in counts) or counts != sorted(set(counts)):
        raise argparse.ArgumentTypeError(f"user counts must be positive and rising: {text!r}")
    return counts


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--users", type=user_counts, default=list(USERS), help="steps, e.g. 10,20,30,40"
    )
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started a second")
    parser.add_argument("--seconds", type=int, default=60, help="measured time per step")
    parser.add_argument("--p95", type=float, default=TARGET_P95_MS, help="target p95 in ms")
    parser.add_argument("--keep-going", action="store_true", help="run every step")
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--counsellors", type=int, default=COUNSELLORS)
    parser.add_argument("--workers", type=int, default=3, help="WEB_CONCURRENCY")
    parser.add_argument("--threads", type=int, default=4, help="GUNICORN_THREADS")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--out", type=Path, help="write the tables to this markdown file")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.spawn_rate <= 0:
        parser.error("--seconds and --spawn-rate must be positive")
    return args


# --- The database ------------------------------------------------------------------------


def database_url(server: str) -> str:
    """`cms_loadtest` on `server`'s PostgreSQL server."""
    return dataset.database_url(server, DATABASE)


def prepare_database(server: str, customers: int, counsellors: int, fresh: bool = False):
    """Make `cms_loadtest` hold `customers` customers (bench/dataset.py, in its own process).
    A scratch database that cannot be migrated any more (a migration was changed since it
    was made) is dropped and made again."""
    exists = dataset.database_exists(server, DATABASE)
    if exists and not fresh:
        held = dataset.customers_in(database_url(server))
        fresh = held > customers
        if fresh:
            print(f"{DATABASE} holds {held:,} customers, more than {customers:,}: remade")
    if exists and fresh:
        dataset.drop_database(server, DATABASE)
    command = [
        str(PYTHON),
        str(ROOT / "bench" / "dataset.py"),
        f"--customers={customers}",
        f"--counsellors={counsellors}",
        f"--database-url={database_url(server)}",
        f"--password={PASSWORD}",
    ]
    env = dict(os.environ, DEBUG="false")
    if subprocess.run(command, cwd=ROOT, env=env).returncode == 0:
        return
    if not exists or fresh:
        sys.exit("bench/dataset.py failed on a new database (above)")
    print(f"{DATABASE} could not be migrated or grown (above): dropped and made again")
    dataset.drop_database(server, DATABASE)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


# --- The web process -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the repo's gunicorn.conf.py on 127.0.0.1, as deployed but on plain HTTP."""

    def __init__(self, url: str, *, workers: int = 3, threads: int = 4, port: int = 0):
        self.url, self.workers, self.threads = url, workers, threads
        self.port = port or free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.folder = None

    def environment(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GUNICORN_", "SECURE_", "SESSION_", "CSRF_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="loadtest_settings",
            PYTHONPATH=os.pathsep.join([self.folder, str(ROOT)]),
            ENV_FILE=os.devnull,
            DATABASE_URL=self.url,
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            WEB_CONCURRENCY=str(self.workers),
            GUNICORN_THREADS=str(self.threads),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        )
        return env

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="cms-loadtest-")
        static_root = Path(self.folder) / "static"
        Path(self.folder, "loadtest_settings.py").write_text(
            f"from config.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(static_root)!r}\n"
        )
        env = self.environment()
        subprocess.run(
            [str(PYTHON), "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        self.log_path = Path(self.folder) / "gunicorn.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(PYTHON.parent / "gunicorn"), "config.wsgi"],
            cwd=ROOT,  # gunicorn reads gunicorn.conf.py from here
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()
        return self

    def wait_until_up(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.host + "/accounts/login/", timeout=5) as page:
                    if page.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def status_counts(self) -> dict[str, int]:
        """How many of each HTTP status the access log holds so far."""
        self.log.flush()
        counts: dict[str, int] = {}
        for status in re.findall(r'HTTP/1\.[01]" (\d{3}) ', self.log_path.read_text("latin-1")):
            counts[status] = counts.get(status, 0) + 1
        return counts

    def cpu_seconds(self) -> float:
        """CPU used by gunicorn so far: the master, its live workers and the recycled ones."""
        import psutil

        try:
            master = psutil.Process(self.process.pid)
            times = master.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            for worker in master.children(recursive=True):
                try:
                    worker_times = worker.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                total += worker_times.user + worker_times.system
        except psutil.NoSuchProcess:
            return 0.0
        return total

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def database_cpu_seconds() -> dict[int, float]:
    """CPU so far of each PostgreSQL backend connected to cms_loadtest, by process id."""
    import psutil

    used = {}
    for process in psutil.process_iter(["cmdline"]):
        title = " ".join(process.info["cmdline"] or [])
        if title.startswith("postgres:") and f" {DATABASE} " in title:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            used[process.pid] = times.user + times.system
    return used


def machine_busy_seconds() -> float:
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0)


# --- One step --------------------------------------------------------------------------------


@dataclass
class Step:
    users: int
    seconds: float = 0.0
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    errors: int = 0
    logins_ok: int = 0
    logins_failed: int = 0
    login_median_ms: float | None = None
    cpu: dict = field(default_factory=dict)  # cores used: web, db, locust, all
    load_before: float = 0.0
    pages: list = field(default_factory=list)  # (name, requests, p50, p95, p99, errors)
    failures: list = field(default_factory=list)  # (name, error, occurrences)
    locust_cpu_warning: bool = False

    def meets(self, p95_target: float) -> bool:
        return self.errors == 0 and self.requests > 0 and self.p95 < p95_target


def number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(prefix: Path, step: Step):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            entry = (
                row["Name"],
                int(number(row["Request Count"])),
                number(row["50%"]),
                number(row["95%"]),
                number(row["99%"]),
                int(number(row["Failure Count"])),
            )
            if row["Name"] == "Aggregated":
                step.requests, step.errors = entry[1], entry[5]
                step.rps = number(row["Requests/s"])
                step.p50, step.p95, step.p99 = entry[2:5]
            else:
                step.pages.append(entry)
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with open(failures, newline="") as rows:
            step.failures = [
                (row["Name"], row["Error"], int(number(row["Occurrences"])))
                for row in csv.DictReader(rows)
            ]


def run_step(users: int, args, host: str, server: Server, folder: Path) -> Step:
    """One headless locust run at `users` users; the numbers of its steady part."""
    step = Step(users=users, load_before=os.getloadavg()[0])
    prefix = folder / f"users{users}"
    report = folder / f"users{users}.json"
    ramp = math.ceil(users / args.spawn_rate)
    run_time = ramp + 10 + args.seconds  # logins finish within ~10 s of the last spawn
    command = [
        str(PYTHON.parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{run_time}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = dict(
        os.environ,
        LOADTEST_PASSWORD=PASSWORD,
        LOADTEST_COUNSELLORS=str(args.counsellors),
        LOADTEST_REPORT=str(report),
    )
    print(f"{users} users: {ramp} s to start them, then {args.seconds}+ s measured", flush=True)
    web_before, db_before = server.cpu_seconds(), database_cpu_seconds()
    all_before = machine_busy_seconds()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    db_after = database_cpu_seconds()
    web_after, all_after = server.cpu_seconds(), machine_busy_seconds()
    wall = time.time() - started
    step.locust_cpu_warning = "CPU usage" in finished.stderr
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust wrote no statistics:\n{finished.stderr[-3000:]}")
    read_stats(prefix, step)
    if report.exists():
        tally = json.loads(report.read_text())
        step.logins_ok, step.logins_failed = tally["logins_ok"], tally["logins_failed"]
        step.login_median_ms = tally["login_median_ms"]
        if tally["reset_at"]:
            step.seconds = tally["stopped_at"] - tally["reset_at"]
    # A failed login is an error too, although it happened before the statistics were reset.
    step.errors += step.logins_failed
    locust_cpu = (
        children_after.ru_utime
        + children_after.ru_stime
        - children_before.ru_utime
        - children_before.ru_stime
    )
    db_cpu = sum(used - db_before.get(pid, 0.0) for pid, used in db_after.items())
    step.cpu = {
        "web": (web_after - web_before) / wall,
        "db": db_cpu / wall,
        "locust": locust_cpu / wall,
        "all": (all_after - all_before) / wall,
    }
    return step


# --- Reporting ---------------------------------------------------------------------------------


def step_table(steps: list[Step], p95_target: float) -> str:
    lines = [
        "| users | req/s | p50 ms | p95 ms | p99 ms | errors | requests | target | "
        "CPU web / db / locust / all (cores) | load before |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for step in steps:
        cpu = " / ".join(f"{step.cpu.get(k, 0):.2f}" for k in ("web", "db", "locust", "all"))
        lines.append(
            f"| {step.users} | {step.rps:.1f} | {step.p50:.0f} | {step.p95:.0f} | "
            f"{step.p99:.0f} | {step.errors} | {step.requests:,} | "
            f"{'met' if step.meets(p95_target) else 'missed'} | {cpu} | "
            f"{step.load_before:.2f} |"
        )
    return "\n".join(lines)


def pages_table(step: Step) -> str:
    lines = [
        f"Per page at {step.users} users ({step.seconds:.0f} s measured):",
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, requests, p50, p95, p99, errors in sorted(step.pages):
        if not requests and not errors:
            continue  # the logins, counted before the statistics were reset
        lines.append(f"| {name} | {requests:,} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {errors} |")
    return "\n".join(lines)


def summary(steps: list[Step], p95_target: float) -> str:
    good = [step for step in steps if step.meets(p95_target)]
    parts = []
    if good:
        best = max(good, key=lambda step: step.rps)
        parts.append(
            f"Highest rate meeting the target (no errors, p95 < {p95_target:.0f} ms): "
            f"{best.rps:.1f} requests/s at {best.users} users "
            f"(p50 {best.p50:.0f} ms, p95 {best.p95:.0f} ms, p99 {best.p99:.0f} ms)."
        )
        if best is steps[-1]:
            parts.append("Every step met the target: the limit is above the last step.")
    else:
        parts.append(f"No step met the target (no errors, p95 < {p95_target:.0f} ms).")
    missed = [step for step in steps if not step.meets(p95_target)]
    if missed:
        first = missed[0]
        parts.append(
            f"First step to miss it: {first.users} users, {first.rps:.1f} requests/s, "
            f"p95 {first.p95:.0f} ms, {first.errors} errors."
        )
    logins = [step.login_median_ms for step in steps if step.login_median_ms]
    if logins:
        parts.append(
            f"Logins (before the measured part): {sum(s.logins_ok for s in steps)} ok, "
            f"{sum(s.logins_failed for s in steps)} failed, median "
            f"{sorted(logins)[len(logins) // 2]:.0f} ms (GET the form + POST)."
        )
    if any(step.locust_cpu_warning for step in steps):
        parts.append("Locust warned that its own CPU use was above 90% in some step.")
    return " ".join(parts)


def busy_processes() -> str:
    """Test suites and benchmarks of other people running right now, by command."""
    found = subprocess.run(["pgrep", "-af", "pytest|bench_"], capture_output=True, text=True)
    kinds: dict[str, int] = {}
    for line in found.stdout.splitlines():
        if str(os.getpid()) == line.split(" ", 1)[0] or "pgrep" in line:
            continue
        script = re.search(r"bench_\w+\.py|pytest", line)
        kind = script.group(0) if script else "bench"
        kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{kind} ({n} processes)" for kind, n in kinds.items()) or "none"


def main(argv=None):
    args = parse_args(argv)
    server = dataset.server_url()
    version = dataset.git_version()
    print(f"Code {version}; database {DATABASE}", flush=True)
    prepare_database(server, args.customers, args.counsellors, args.fresh)
    conditions = (
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} before the first "
        f"step; other work running at the start: {busy_processes()}; gunicorn "
        f"{args.workers} workers x {args.threads} threads; locust on the same machine."
    )
    print(conditions, flush=True)
    steps: list[Step] = []
    with (
        Server(
            database_url(server), workers=args.workers, threads=args.threads, port=args.port
        ) as web,
        tempfile.TemporaryDirectory(prefix="cms-locust-") as folder,
    ):
        for users in args.users:
            step = run_step(users, args, web.host, web, Path(folder))
            steps.append(step)
            print(step_table([step], args.p95).splitlines()[-1], flush=True)
            for name, error, occurrences in step.failures[:10]:
                print(f"  {occurrences} x {name}: {error}")
            if not step.meets(args.p95) and not args.keep_going:
                break
        statuses = web.status_counts()
        server_errors = sum(n for status, n in statuses.items() if status.startswith("5"))
        if server_errors:
            print(f"gunicorn's log shows {server_errors} 5xx answers:\n{web.log_tail()}")
    # Per page: the best step that met the target, and the first that missed it.
    shown = [max(steps, key=lambda s: (s.meets(args.p95), s.rps))]
    shown += [s for s in steps if not s.meets(args.p95) and s is not shown[0]][:1]
    text = "\n\n".join(
        [
            step_table(steps, args.p95),
            *(pages_table(step) for step in shown),
            summary(steps, args.p95),
            f"HTTP statuses in gunicorn's access log: {json.dumps(statuses, sort_keys=True)}.",
        ]
    )
    print()
    print(text)
    if args.out:
        header = (
            f"Code {version}; {args.customers:,} customers, {args.counsellors} "
            f"counsellors; {args.seconds} s measured per step, users started at "
            f"{args.spawn_rate:g}/s.\n\n{conditions}"
        )
        args.out.write_text(f"{header}\n\n{text}\n")
        print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
