"""`make fault-pg-restart`: PostgreSQL restarted under load. Do requests recover, and is
anything half-written?

    .venv/bin/python bench/fault_pg_restart.py [--seconds 40] [--restart-at 15] [--out FILE]
    .venv/bin/python bench/fault_pg_restart.py --no-restart      # the same load, no fault

The same set-up as `make loadtest` (bench/loadtest.py): the scratch database `cms_loadtest`
(made and filled when missing) and gunicorn with the repo's gunicorn.conf.py. --threads
clients (plain threads with `requests`), each logged in through the login form as its own
counsellor, work on a dozen customers of their own list that no other client touches (so
each is changed several times): read the list, a search or the dashboard, open a customer's
detail page, and post its status form (the plain-HTML form: a 302 back to the detail page is
success) with a new status and a note that names the change uniquely. After --restart-at
seconds the PostgreSQL server is restarted (`pg_ctlcluster VERSION NAME restart` for the
cluster on DATABASE_URL's port, else `service postgresql restart`; --restart-command
overrides); the load goes on to --seconds.

Restarting the server breaks everyone else's connections, so first it waits (polling every
30 s, 10 minutes at most) until no test suite or benchmark is using PostgreSQL: no pytest or
bench_* process with a PostgreSQL DATABASE_URL, and no connection to a database other than
cms_loadtest and postgres. It checks again just before the restart and gives up rather than
break a run that started meanwhile.

Then it checks, and exits non-zero when a check fails:
- recovery: errors only from the restart on, and back within RECOVERY_LIMIT_SECONDS: the
  seconds from the restart command's start to the first success after the last error (every
  request after the last error succeeded, by definition);
- every status change answered with success has exactly one history row (its note) with the
  status posted and one note pointing at that row; a change answered with an error has none
  or exactly that (it may have committed before the connection broke: counted apart);
- each client's customers: the history rows of the run chain (each one's previous status is
  the one before's new status) and the customer's status is the last committed change, which
  is the last successful one unless an error answered a later one that committed;
- the kept counts: customers_customercount summed by (assigned_to_id, status, stages) equals
  a GROUP BY of customers_customer, as its triggers must keep it through a crash-restart.
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import server_url  # noqa: E402
from bench.loadtest import (  # noqa: E402
    COUNSELLORS,
    CSRF_TOKEN,
    CUSTOMER_LINK,
    CUSTOMERS,
    DATABASE,
    PASSWORD,
    SELECTED_STATUS,
    Server,
    database_url,
    prepare_database,
)

# Open statuses that need no follow-up date: a customer can go on moving between them.
NEXT_STATUSES = ["VALID", "PLAN_PRESENTED", "INTERESTED", "SHORTLISTED", "CAMPUS_VISIT"]
READS = ["/customers/", "/customers/?q=Nair", "/customers/?status=NEW", "/dashboard/"]
WAIT_POLL_SECONDS, WAIT_MAX_SECONDS = 30, 600
CUSTOMERS_PER_CLIENT = 12
RECOVERY_LIMIT_SECONDS = 30


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=40, help="how long the load runs")
    parser.add_argument("--restart-at", type=float, default=15, help="seconds into the load")
    parser.add_argument("--threads", type=int, default=6, help="clients, one counsellor each")
    parser.add_argument("--no-restart", action="store_true", help="the load without the fault")
    parser.add_argument("--restart-command", help="default: pg_ctlcluster for the server's port")
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--out", type=Path, help="write the result as markdown")
    args = parser.parse_args(argv)
    if not 0 < args.restart_at < args.seconds:
        parser.error("--restart-at must fall inside --seconds")
    if not 1 <= args.threads <= COUNSELLORS:
        parser.error(f"--threads must be 1 to {COUNSELLORS} (one counsellor each)")
    return args


# --- Not breaking other people's work -------------------------------------------------------


def postgres_users(server: str) -> list[str]:
    """Who else is using this PostgreSQL server now: processes and connected databases."""
    busy = []
    found = subprocess.run(["pgrep", "-f", "pytest|bench_"], capture_output=True, text=True)
    for pid in found.stdout.split():
        if int(pid) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"fault_pg_restart" in cmdline:
            continue
        if any(v.startswith(b"DATABASE_URL=postgres") for v in environ) or b"bench_" in cmdline:
            busy.append(f"process {pid}: {cmdline.decode(errors='replace')[:100]}")
    import psycopg2

    connection = psycopg2.connect(server)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname NOT IN (%s, 'postgres') AND pid <> pg_backend_pid() GROUP BY 1",
            [DATABASE],
        )
        busy += [f"{n} connection(s) to {name}" for name, n in cursor.fetchall()]
    connection.close()
    return busy


def wait_for_quiet(server: str) -> bool:
    """Wait until nobody else uses PostgreSQL; False after WAIT_MAX_SECONDS of waiting."""
    deadline = time.monotonic() + WAIT_MAX_SECONDS
    while True:
        busy = postgres_users(server)
        if not busy:
            return True
        if time.monotonic() >= deadline:
            print("Still in use after 10 minutes, not restarting:", *busy, sep="\n  ")
            return False
        print("PostgreSQL is in use; waiting 30 s:", *busy, sep="\n  ", flush=True)
        time.sleep(WAIT_POLL_SECONDS)


def restart_command(server: str) -> list[str]:
    port = str(urlparse(server).port or 5432)
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
    for line in clusters.stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return ["pg_ctlcluster", version, name, "restart"]
    return ["service", "postgresql", "restart"]


# --- The load ---------------------------------------------------------------------------------


@dataclass
class Request:
    client: int
    kind: str  # read, detail or change
    started: float
    ended: float
    ok: bool
    outcome: str  # the status code, or the exception's name


@dataclass
class Change:
    client: int
    customer: str
    status: str
    token: str
    started: float
    ok: bool


@dataclass
class Client:
    number: int
    username: str
    host: str
    stop: threading.Event
    requests: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    customers: list = field(default_factory=list)

    def __post_init__(self):
        import requests

        self.session = requests.Session()

    def send(self, kind: str, method: str, path: str, expect: int, **kwargs):
        started = time.time()
        try:
            response = self.session.request(
                method, self.host + path, allow_redirects=False, timeout=30, **kwargs
            )
            ok, outcome = response.status_code == expect, str(response.status_code)
        except Exception as error:  # a broken connection is an outcome to record, not a crash
            response, ok, outcome = None, False, type(error).__name__
        self.requests.append(Request(self.number, kind, started, time.time(), ok, outcome))
        return response if ok else None

    def log_in(self):
        page = self.session.get(self.host + "/accounts/login/", timeout=30)
        token = CSRF_TOKEN.search(page.text).group(1)
        response = self.session.post(
            self.host + "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302 or "/accounts/login" in response.headers["Location"]:
            raise RuntimeError(f"{self.username} could not log in ({response.status_code})")
        for page_number in (1, 2, 3, 4):
            listing = self.session.get(f"{self.host}/customers/?page={page_number}", timeout=30)
            self.customers += CUSTOMER_LINK.findall(listing.text)
        # A few customers each, so that each is changed several times in one run.
        self.customers = list(dict.fromkeys(self.customers))
        random.shuffle(self.customers)
        self.customers = self.customers[:CUSTOMERS_PER_CLIENT]

    def run(self, run_id: str):
        turn = 0
        while not self.stop.is_set():
            customer = self.customers[turn % len(self.customers)]
            turn += 1
            self.send("read", "GET", random.choice(READS), 200)
            page = self.send("detail", "GET", f"/customers/{customer}/", 200)
            if page is not None:
                token, current = CSRF_TOKEN.search(page.text), SELECTED_STATUS.search(page.text)
                status = random.choice(
                    [s for s in NEXT_STATUSES if not current or s != current.group(1)]
                )
                note = f"fault-{run_id}-{uuid.uuid4().hex}"
                started = time.time()
                answer = self.send(
                    "change",
                    "POST",
                    f"/customers/{customer}/status/",
                    302,
                    data={
                        "csrfmiddlewaretoken": token.group(1) if token else "",
                        "status": status,
                        "notes": note,
                        "follow_up_on": "",
                        "follow_up_time": "",
                    },
                )
                self.changes.append(
                    Change(self.number, customer, status, note, started, answer is not None)
                )
            time.sleep(0.05)


def restart_in_the_middle(args, server: str, command: list[str], started: float) -> dict:
    time.sleep(max(0.0, started + args.restart_at - time.time()))
    busy = postgres_users(server)
    if busy:
        return {"skipped": busy}
    began = time.time()
    done = subprocess.run(command, capture_output=True, text=True)
    ended = time.time()
    if done.returncode != 0:
        return {"failed": done.stderr.strip() or done.stdout.strip(), "began": began}
    return {"began": began, "ended": ended, "server_started": server_started(server)}


def server_started(server: str) -> float | None:
    """When the running PostgreSQL server started (its postmaster), as a Unix time."""
    import psycopg2

    for _ in range(50):
        try:
            connection = psycopg2.connect(server)
        except psycopg2.OperationalError:
            time.sleep(0.2)
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT extract(epoch FROM pg_postmaster_start_time())")
            started = float(cursor.fetchone()[0])
        connection.close()
        return started
    return None


# --- Checking ---------------------------------------------------------------------------------


def recovery(requests: list[Request], restart: dict) -> tuple[list[str], list[str]]:
    """(lines to report, problems) about when requests failed and when they came back."""
    lines, problems = [], []
    failed = [r for r in requests if not r.ok]
    total = len(requests)
    if "began" not in restart:
        lines.append(f"{total:,} requests, {len(failed)} errors (no restart).")
        if failed:
            problems.append(f"{len(failed)} errors without a restart")
        return lines, problems
    began, ended = restart["began"], restart.get("ended", restart["began"])
    lines.append(
        f"`{' '.join(restart['command'])}` took {ended - began:.1f} s "
        f"({restart['at']:.1f} s into the load)."
    )
    if not failed:
        lines.append(f"{total:,} requests, none failed.")
        return lines, problems
    early = [r for r in failed if r.ended < began]
    if early:
        problems.append(f"{len(early)} errors before the restart")
    last_error = max(r.ended for r in failed)
    after = [r for r in requests if r.started > last_error]
    back = min((r.ended for r in after if r.ok), default=None)
    kinds: dict[str, int] = {}
    for r in failed:
        kinds[f"{r.kind} {r.outcome}"] = kinds.get(f"{r.kind} {r.outcome}", 0) + 1
    first_error = min(r.started for r in failed)
    lines.append(
        f"{total:,} requests, {len(failed)} errors, from {first_error - began:+.1f} s "
        f"to {last_error - began:+.1f} s of the restart's start: "
        + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        + "."
    )
    if back is None:
        problems.append("no request succeeded after the last error")
    else:
        server = restart.get("server_started")
        started = f"the new server started at {server - began:+.1f} s, " if server else ""
        lines.append(
            f"Recovered: the first success after the last error came {back - began:.1f} s "
            f"after the restart began ({started}the command returned at "
            f"{ended - began:+.1f} s); all {len(after):,} requests after it succeeded."
        )
        if back - began > RECOVERY_LIMIT_SECONDS:
            problems.append(f"recovery took more than {RECOVERY_LIMIT_SECONDS} s")
    return lines, problems


def consistency(url: str, changes: list[Change], run_id: str) -> tuple[list[str], list[str]]:
    """(lines to report, problems): history rows, statuses and kept counts."""
    import psycopg2

    lines, problems = [], []
    connection = psycopg2.connect(url)
    cursor = connection.cursor()
    cursor.execute(
        "SELECT h.notes, h.id, h.customer_id, h.previous_status, h.new_status, h.changed_at, "
        "(SELECT count(*) FROM customers_customernote n WHERE n.status_change_id = h.id "
        " AND n.body = h.notes) "
        "FROM customers_customerstatushistory h WHERE h.notes LIKE %s",
        [f"fault-{run_id}-%"],
    )
    rows: dict[str, list] = {}
    for note, *rest in cursor.fetchall():
        rows.setdefault(note, []).append(rest)
    posted = {change.token: change for change in changes}
    ok = [c for c in changes if c.ok]
    failed = [c for c in changes if not c.ok]
    bad_ok = [c for c in ok if len(rows.get(c.token, [])) != 1]
    bad_ok += [c for c in ok if len(rows.get(c.token, [])) == 1 and rows[c.token][0][3] != c.status]
    no_note = [t for t, found in rows.items() if any(row[5] != 1 for row in found)]
    committed_failed = [c for c in failed if len(rows.get(c.token, [])) == 1]
    bad_failed = [c for c in failed if len(rows.get(c.token, [])) > 1]
    strays = [t for t in rows if t not in posted]
    lines.append(
        f"{len(ok):,} status changes answered with success: "
        f"{len(ok) - len(bad_ok):,} have exactly one history row with the status posted "
        f"and one note pointing at it ({len(no_note)} rows without their note). "
        f"{len(failed)} answered with an error: {len(committed_failed)} committed all the same "
        f"(one row each), {len(failed) - len(committed_failed) - len(bad_failed)} left nothing."
    )
    for label, found in (
        ("successful changes without exactly one matching history row", bad_ok),
        ("history rows without their note", no_note),
        ("failed changes with more than one history row", bad_failed),
        ("history rows nobody posted", strays),
    ):
        if found:
            problems.append(f"{len(found)} {label}")
    # Each customer: the run's rows chain, and the status is the last committed change.
    by_customer: dict[str, list[Change]] = {}
    for change in changes:
        by_customer.setdefault(change.customer, []).append(change)
    cursor.execute(
        "SELECT id::text, status FROM customers_customer WHERE id = ANY(%s::uuid[])",
        [list(by_customer)],
    )
    statuses = dict(cursor.fetchall())
    wrong_status, broken_chain, last_failed = [], [], 0
    for customer, mine in by_customer.items():
        mine.sort(key=lambda change: change.started)
        committed = [c for c in mine if rows.get(c.token)]
        if committed and statuses[customer] != committed[-1].status:
            wrong_status.append(customer)
        last_ok = [c for c in mine if c.ok]
        if last_ok and committed and committed[-1] is not last_ok[-1]:
            last_failed += 1
        chain = sorted((rows[c.token][0] for c in committed), key=lambda row: row[4])
        for before, after in zip(chain, chain[1:], strict=False):
            if after[2] != before[3]:
                broken_chain.append(customer)
                break
    lines.append(
        f"{len(by_customer)} customers changed: {len(by_customer) - len(wrong_status)} are at "
        f"their last committed change ({last_failed} of those an error-answered one that "
        f"committed), and their history chains for {len(by_customer) - len(broken_chain)}."
    )
    if wrong_status:
        problems.append(f"{len(wrong_status)} customers not at their last committed status")
    if broken_chain:
        problems.append(f"{len(broken_chain)} customers whose history does not chain")
    cursor.execute(
        """
        WITH kept AS (
            SELECT assigned_to_id, status, stages, sum(n) AS n FROM customers_customercount
            GROUP BY 1, 2, 3 HAVING sum(n) <> 0
        ), counted AS (
            SELECT assigned_to_id, status, stages, count(*) AS n FROM customers_customer
            GROUP BY 1, 2, 3
        )
        SELECT (SELECT count(*) FROM (TABLE kept EXCEPT TABLE counted) a),
               (SELECT count(*) FROM (TABLE counted EXCEPT TABLE kept) b),
               (SELECT count(*) FROM counted), (SELECT sum(n) FROM kept)
        """
    )
    only_kept, only_counted, keys, kept_total = cursor.fetchone()
    lines.append(
        f"Kept counts: {keys} (counsellor, status, stages) keys, {kept_total:,} customers; "
        f"{only_kept + only_counted} keys differ from a GROUP BY of the customers."
    )
    if only_kept or only_counted:
        problems.append(f"kept counts differ on {only_kept + only_counted} keys")
    connection.close()
    return lines, problems


# --- Running it --------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    server = server_url()
    url = database_url(server)
    prepare_database(server, args.customers, COUNSELLORS)
    command = args.restart_command.split() if args.restart_command else restart_command(server)
    if not args.no_restart:
        print(f"Will restart PostgreSQL with: {' '.join(command)}", flush=True)
        if not wait_for_quiet(server):
            sys.exit(2)
    run_id = uuid.uuid4().hex[:8]
    load_before = os.getloadavg()[0]
    stop = threading.Event()
    with Server(url) as web:
        clients = [
            Client(n, f"counsellor{n:02d}", web.host, stop) for n in range(1, args.threads + 1)
        ]
        for client in clients:
            client.log_in()
        threads = [threading.Thread(target=c.run, args=(run_id,)) for c in clients]
        started = time.time()
        for thread in threads:
            thread.start()
        restart = {}
        if not args.no_restart:
            restart = restart_in_the_middle(args, server, command, started)
            restart.update(command=command, at=restart.get("began", started) - started)
        time.sleep(max(0.0, started + args.seconds - time.time()))
        stop.set()
        for thread in threads:
            thread.join()
        finished = time.time()
    requests = sorted((r for c in clients for r in c.requests), key=lambda r: r.started)
    changes = [change for c in clients for change in c.changes]
    if "skipped" in restart:
        sys.exit(
            "Someone started using PostgreSQL meanwhile; not restarted:\n"
            + "\n".join(restart["skipped"])
        )
    if "failed" in restart:
        sys.exit(f"The restart command failed: {restart['failed']}")
    lines = [
        f"{args.threads} clients for {finished - started:.0f} s against gunicorn "
        f"({web.workers} workers x {web.threads} threads) and `{DATABASE}` "
        f"({args.customers:,} customers); "
        f"load average {load_before:.2f} before.",
    ]
    timing, problems = recovery(requests, restart)
    checked, more_problems = consistency(url, changes, run_id)
    lines += timing + checked
    problems += more_problems
    lines.append(
        "Result: " + ("every check passed." if not problems else "FAILED: " + "; ".join(problems))
    )
    text = "\n".join(f"- {line}" for line in lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
        print(f"Wrote {args.out}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
