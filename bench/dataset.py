"""Fill a PostgreSQL database with realistic customers, fast: `fill(customers, counsellors)`.

    from bench.dataset import fill          # with Django set up on the target database
    fill(100_000, 50, password="bench-pass-2026")

    python bench/dataset.py --customers 200000 --counsellors 20 \\
        --database-url postgres://postgres@127.0.0.1:5432/cms_load --password bench-pass-2026

The command line creates the database when it is missing and migrates it; `fill()` expects
a migrated database. Both GROW it: customers are numbered 0, 1, 2, ... and a call adds those
from the current count up to `customers` (10,000, then 100,000, then 1,000,000 reuses the
first rows); nothing happens when there are already that many. Grow only databases that
`fill()` made: a customer added some other way shifts the numbering.

People: a manager `manager` and counsellors `counsellor01`, `counsellor02`, ... (added when
more are asked for), all with `password` (hashed once with Django's `make_password`, and set
again on existing accounts when given; without one, nobody can log in with a password).
None is staff: a benchmark that needs the admin makes its own superuser.

Customers: everything derives from the customer's number through PostgreSQL's integer hash
(no random()), so the same calls give the same data; dates are relative to the moment of the
load. Names and areas come from the demo data's lists (seed_demo) plus more, unevenly
spread: COMMON_LAST_NAME is on ~13% of names, a RARE_LAST_NAMES surname on one in 2,000
(searches for both). Phones are distinct valid Indian mobiles (an affine map of the number,
so neighbours share no digits). Customer i of a call that grows the table to N was created
(N - i) / N of CREATED_OVER_DAYS ago: the newest just now, higher numbers later. ~10% are
unassigned and the rest spread unevenly over the counsellors (counsellor01 busiest, ~5x the
last). The status mix is STATUS_MIX (per mille); follow-up dates (+-30 days around today,
a tenth of them today) exactly for the statuses that require one. Every customer past NEW
has 1-3 status history rows walking the demo data's path to its status, changed by its
counsellor (the manager when unassigned) within ACTIVE_DAYS of its creation; assigned
customers have their assignment in the history (5% were reassigned once), ~20% have a note,
and `stages` (when the table has it) holds the statuses on the path.

A call is one transaction. Chunks of CHUNK_SIZE customers are computed into a temporary table
(`... SELECT ... FROM generate_series`), then copied by one INSERT per table, naming its
columns: a column added later with a database default needs nothing here, one without is a
clear error until this file gives it a value. A call adding 50,000 or more, and at least as
many as there were, drops the tables' secondary indexes and foreign keys first and makes
them again at the end (from pg_get_indexdef, so indexes of later migrations too): several
times faster than keeping them up to date row by row. The tables are then VACUUM (ANALYZE)d.

The benchmarks' scratch databases (bench/bench_pages.py, bench/loadtest.py) live on
DATABASE_URL's server: server_url(), database_url(), database_exists(), customers_in(),
drop_database() and git_version() are theirs. Nothing here imports Django at import time:
bench/loadtest.py, and through it the locustfile, import this module.
"""

import argparse
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import phonenumbers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"

CHUNK_SIZE = 250_000
CREATED_OVER_DAYS = 3 * 365
# The change history of a customer happens within this many days of its creation.
ACTIVE_DAYS = 45
TIME_ZONE = "Asia/Kolkata"
COMMON_LAST_NAME = "Nair"  # the most common surname (~13%): a search with many matches
RARE_LAST_NAMES = ["Zachariah", "Kuruvilla", "Pothen", "Mampilly", "Chandy"]
MORE_FIRST_NAMES = (
    "Abhinav Adarsh Akhil Alan Amal Ameena Anagha Anand Anil Anitha Anoop Aparna Arathi Arjun "
    "Aswathy Bhavana Bincy Christy Devika Dhanya Dileep Gayathri Gokul Hafiz Irfan Jishnu "
    "Keerthana Kiran Krishna Liya Mahesh Midhun Nasrin Nithin Parvathy Rahul Reshma Sachin "
    "Shahana Vishnu"
).split()
MORE_LAST_NAMES = (
    "Kurian Chacko Abraham George Panicker Warrier Namboothiri Kaimal Unnikrishnan Balan "
    "Mohan Raj Prasad Varma Kartha Jacob Philip Mathai Ali Basheer Hussain Ahmed Yadav Mishra "
    "Chatterjee Banerjee Mukherjee Naidu Gowda Hegde"
).split()
MORE_AREAS = (
    "Ernakulam Aluva Angamaly Perumbavoor Muvattupuzha Kakkanad Edappally Vyttila Tripunithura "
    "Kalamassery Changanassery Tiruvalla Pathanamthitta Idukki Thodupuzha Wayanad Kasaragod "
    "Guruvayur Chalakudy Irinjalakuda Ottapalam Manjeri Tirur Vadakara Thalassery Payyanur "
    "Nagercoil Madurai Tiruchirappalli Salem Mysuru Hyderabad Pune Mumbai Delhi Dubai"
).split()
# Status shares in per mille: a third of all leads never get past NEW.
STATUS_MIX = {
    "NEW": 300,
    "CALL_NOT_ATTENDED": 120,
    "FOLLOW_UP": 100,
    "VALID": 90,
    "PLAN_PRESENTED": 80,
    "INTERESTED": 70,
    "NOT_INTERESTED": 90,
    "INVALID": 50,
    "SHORTLISTED": 35,
    "CAMPUS_VISIT": 20,
    "REGISTRATION": 15,
    "ADMISSION": 30,
}
assert sum(STATUS_MIX.values()) == 1000
UNASSIGNED_PERCENT = 10
NOTE_PERCENT = 20
# Distinct multipliers keep each derived value independent of the others.
SEED = {
    "status": 11,
    "steps": 12,
    "assigned": 13,
    "counsellor": 14,
    "first": 15,
    "last": 16,
    "rare": 17,
    "area": 18,
    "date": 19,
    "remark": 20,
    "summary": 21,
    "follow_up": 22,
    "follow_up_today": 23,
    "follow_up_time": 24,
    "change": 25,
    "change_note": 26,
    "assigned_at": 27,
    "reassigned": 28,
    "note": 29,
    "note_at": 30,
    "blank": 31,
}
UUID_SEEDS = {
    "customer": (101, 102),
    "status": (103, 104),
    "assigned": (105, 106),
    "note": (107, 108),
}
BIG = 9223372036854775807  # clears the sign bit of a bigint hash


def hashed(seed: str, modulo: int, of: str = "i") -> str:
    """SQL for a number in [0, modulo) that depends only on `of` (the customer's number)."""
    return f"mod(hashint8extended({of}, {SEED[seed]}) & {BIG}, {modulo})"


def fraction(seed: str, of: str = "i") -> str:
    """SQL for a number in [0, 1) that depends only on `of`."""
    return f"({hashed(seed, 1_000_000, of)}::float8 / 1000000)"


def skewed_pick(array: str, length: int, seed: str, power: float) -> str:
    """SQL for an element of `array`, the first ones more often (power > 1 skews harder)."""
    return f"({array})[1 + floor({length} * power({fraction(seed)}, {power}))::int]"


def uuid_of(kind: str, of: str) -> str:
    """SQL for a UUID made of two hashes of `of`, different for each kind of row."""
    first, second = UUID_SEEDS[kind]
    halves = [f"lpad(to_hex(hashint8extended({of}, {seed})), 16, '0')" for seed in (first, second)]
    return f"({halves[0]} || {halves[1]})::uuid"


@cache
def valid_mobile_prefixes() -> list[int]:
    """Five-digit Indian mobile prefixes phonenumbers accepts (validity depends on these)."""
    return [
        prefix
        for prefix in range(60_000, 100_000)
        if phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=91, national_number=prefix * 100_000)
        )
    ]


def phone_sql(prefixes: list[int]) -> str:
    """SQL for customer i's phone: an affine bijection of i onto (prefix, five more digits)."""
    modulo = len(prefixes) * 100_000
    multiplier = 2_654_435_761  # Knuth's: consecutive numbers land far apart
    while math.gcd(multiplier, modulo) != 1:
        multiplier += 2
    j = f"mod({multiplier} * i + 48271, {modulo})"
    if prefixes == list(range(60_000, 100_000)):  # every prefix valid: no lookup needed
        return f"'+91' || (6000000000 + {j})::text"
    return (
        f"'+91' || (%(prefixes)s::int[])[1 + {j} / 100000]::text"
        f" || lpad(mod({j}, 100000)::text, 5, '0')"
    )


def status_paths() -> dict[str, list[str]]:
    """The status moves that lead to each status, from the demo data."""
    from customers.management.commands.seed_demo import PATHS

    return {str(status): [str(step) for step in path] for status, path in PATHS.items()}


def path_rows() -> list[tuple]:
    """(status, steps, step, previous, new) for a customer at `status` with `steps` history
    rows: the last `steps` moves of the status's path, the first from NEW."""
    rows = []
    for status, path in status_paths().items():
        for steps in range(1, min(3, len(path)) + 1):
            previous = "NEW"
            for step, new in enumerate(path[-steps:], start=1):
                rows.append((status, steps, step, previous, new))
                previous = new
    return rows


def stage_bits(status: str) -> int:
    """The `stages` bits (migration customers/0004) of a customer now at `status`: NEW and
    every status on its path (a superset of its 1-3 history rows, as "ever reached")."""
    from customers.models import Customer

    values = list(Customer.Status.values)
    bits = 1 << values.index("NEW")
    for step in status_paths()[status]:
        bits |= 1 << values.index(step)
    return bits


@dataclass
class Loaded:
    customers: int
    status_rows: int
    assignment_rows: int
    notes: int
    seconds: float


def fill(customers: int, counsellors: int = 50, *, password: str | None = None) -> Loaded:
    """Grow the customers to `customers` (with people and history) and analyze the tables."""
    from django.db import connection, transaction

    started = time.perf_counter()
    manager, team = ensure_people(counsellors, password)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customers_customer")
        start = cursor.fetchone()[0]
        if start >= customers:
            return Loaded(0, 0, 0, 0, time.perf_counter() - started)
        check_columns(cursor)
        totals = [0, 0, 0, 0]
        context = batch_context(start, customers, manager, team)
        with transaction.atomic():
            # Only this benchmark's data is at stake if the machine crashes before a flush.
            cursor.execute("SET LOCAL synchronous_commit TO off")
            cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")
            # Growing a table several times over, building its indexes and checking its
            # foreign keys once at the end is much faster than row by row. One transaction:
            # if anything fails, the indexes and keys are back as they were.
            rebuild = set_aside_indexes_and_keys(cursor) if customers >= 2 * start + BULK else []
            for chunk_start in range(start, customers, CHUNK_SIZE):
                chunk_stop = min(chunk_start + CHUNK_SIZE, customers)
                added = load_chunk(cursor, context, chunk_start, chunk_stop)
                totals = [a + b for a, b in zip(totals, added, strict=True)]
                print(
                    f"  customers {chunk_start:,}-{chunk_stop - 1:,} loaded "
                    f"({time.perf_counter() - started:.1f} s)",
                    flush=True,
                )
            for statement in rebuild:
                cursor.execute(statement)
            if rebuild:
                print(
                    f"  {len(rebuild)} indexes and foreign keys rebuilt "
                    f"({time.perf_counter() - started:.1f} s)",
                    flush=True,
                )
    analyze(connection)
    return Loaded(*totals, time.perf_counter() - started)


LOADED_TABLES = [
    "customers_customer",
    "customers_customerstatushistory",
    "customers_customerassignmenthistory",
    "customers_customernote",
]
BULK = 50_000  # adding fewer rows than this keeps the indexes in place


def set_aside_indexes_and_keys(cursor) -> list[str]:
    """Drop the loaded tables' secondary indexes and foreign keys; return the SQL that makes
    them again, exactly as they were (primary keys and unique constraints stay)."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [LOADED_TABLES],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        """,
        [LOADED_TABLES],
    )
    keys = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    for table, name, _ in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in keys
    ]


def ensure_people(counsellors: int, password: str | None):
    """The manager and counsellor01..NN, created when missing; return (manager id, [ids])."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from customers.management.commands.seed_demo import FIRST_NAMES, LAST_NAMES

    hashed_password = make_password(password)  # once: the default hasher is slow on purpose
    wanted = {"manager": (User.Role.MANAGER, "Priya", "Nair")}
    for n in range(1, counsellors + 1):
        first = FIRST_NAMES[(n * 7) % len(FIRST_NAMES)]
        last = LAST_NAMES[(n * 3) % len(LAST_NAMES)]
        wanted[f"counsellor{n:02d}"] = (User.Role.SALES, first, last)
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@example.com",
            password=hashed_password,
        )
        for username, (role, first, last) in wanted.items()
        if username not in existing
    )
    if password is not None and existing:
        User.objects.filter(username__in=existing).update(password=hashed_password)
    ids = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    team = [ids[name] for name in sorted(wanted) if name != "manager"]
    return ids["manager"], team


# The customer table's columns this file writes; any other must have a database default.
CUSTOMER_COLUMNS = [
    "id",
    "name",
    "phone_number",
    "area",
    "date",
    "remark",
    "assigned_to_id",
    "status",
    "notes",
    "follow_up_on",
    "follow_up_time",
    "created_at",
    "updated_at",
]
OPTIONAL_CUSTOMER_COLUMNS = ["stages"]  # written when the table has them
HISTORY_COLUMNS = {
    "customers_customerstatushistory": [
        "id",
        "customer_id",
        "previous_status",
        "new_status",
        "changed_by_id",
        "changed_at",
        "notes",
    ],
    "customers_customerassignmenthistory": [
        "id",
        "customer_id",
        "previous_assignee_id",
        "new_assignee_id",
        "changed_by_id",
        "changed_at",
    ],
    "customers_customernote": [
        "id",
        "customer_id",
        "author_id",
        "body",
        "created_at",
        "call_outcome",
    ],
}


def table_columns(cursor, table: str) -> dict[str, bool]:
    """{column: needs a value} for `table`: NOT NULL and no database default."""
    cursor.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s",
        [table],
    )
    return dict(cursor.fetchall())


def check_columns(cursor):
    """Fail early, and say what to do, when a table gained a column this file cannot fill."""
    tables = {"customers_customer": CUSTOMER_COLUMNS + OPTIONAL_CUSTOMER_COLUMNS}
    tables.update(HISTORY_COLUMNS)
    for table, known in tables.items():
        columns = table_columns(cursor, table)
        missing = [name for name, needed in columns.items() if needed and name not in known]
        if missing:
            raise RuntimeError(
                f"{table} has NOT NULL column(s) without a database default that "
                f"bench/dataset.py does not write: {', '.join(missing)}. Read the migration "
                "that added them and give them a value in bench/dataset.py."
            )


def batch_context(start: int, stop: int, manager, team) -> dict:
    """Parameters shared by every chunk of one fill() call."""
    from django.utils import timezone

    from customers.management.commands.seed_demo import (
        AREAS,
        FIRST_NAMES,
        LAST_NAMES,
        NOTES,
        REMARKS,
    )

    now = timezone.now().replace(microsecond=0)
    notes = [note for note in NOTES if note] + [
        "Student wants to compare two colleges before deciding.",
        "Father will visit the office on Saturday.",
        "Sent fee structure and scholarship details.",
        "Asked for a call after the exam results.",
    ]
    return {
        "now": now,
        "today": timezone.localdate(now),
        "oldest": now - timedelta(days=CREATED_OVER_DAYS),
        "span_seconds": CREATED_OVER_DAYS * 86400,
        "start": start,
        "stop": stop,
        "manager": manager,
        "counsellors": team,
        "first_names": FIRST_NAMES + MORE_FIRST_NAMES,
        "last_names": LAST_NAMES + MORE_LAST_NAMES,
        "rare_names": RARE_LAST_NAMES,
        "areas": AREAS + MORE_AREAS,
        "remarks": REMARKS,
        "notes": notes,
        "prefixes": valid_mobile_prefixes(),
        "tz": TIME_ZONE,  # enquiry and follow-up dates are the customers' local dates
        "statuses": list(STATUS_MIX),
        # width_bucket's lower bounds: a draw in [0, 1000) picks a status by its share.
        "status_bounds": [sum(list(STATUS_MIX.values())[:n]) for n in range(len(STATUS_MIX))],
    }


def batch_sql(context: dict, with_stages: bool) -> str:
    """The temporary table of one chunk: every value of its customers, computed once."""
    n_first, n_last = len(context["first_names"]), len(context["last_names"])
    n_areas, n_team = len(context["areas"]), len(context["counsellors"])
    n_remarks, n_notes = len(context["remarks"]), len(context["notes"])
    n_rare = len(context["rare_names"])
    path_lengths = " ".join(
        f"WHEN '{status}' THEN {min(3, len(path))}" for status, path in status_paths().items()
    )
    stages = " ".join(f"WHEN '{s}' THEN {stage_bits(s)}" for s in STATUS_MIX)
    last_name = (
        f"CASE WHEN {hashed('rare', 2_000)} = 7 "
        f"THEN (%(rare_names)s::text[])[1 + {hashed('last', n_rare)}] "
        f"ELSE {skewed_pick('%(last_names)s::text[]', n_last, 'last', 2)} END"
    )
    first_name = f"(%(first_names)s::text[])[1 + {hashed('first', n_first)}]"
    # Customer i of a call that grows the table to `stop` customers is created
    # (stop - i) / stop of the whole period ago: the newest just now, higher numbers later.
    created = (
        "%(now)s::timestamptz - make_interval(secs => "
        "%(span_seconds)s::float8 * (%(stop)s - i) / %(stop)s)"
    )
    follow_up_days = (
        f"CASE WHEN {hashed('follow_up_today', 10, 'b.i')} = 0 THEN 0 "
        f"ELSE {hashed('follow_up', 61, 'b.i')}::int - 30 END"
    )
    follow_up = "b.status IN ('FOLLOW_UP', 'CALL_NOT_ATTENDED')"
    return f"""
    CREATE TEMP TABLE bench_batch AS
    SELECT c.*, coalesce(c.last_change_at, c.assigned_at, c.created_at) AS updated_at
    FROM (
        SELECT b.*,
            CASE WHEN b.steps > 0 THEN {change_at_sql("b", "b.steps")} END AS last_change_at,
            CASE WHEN b.assigned_to_id IS NOT NULL THEN b.created_at + b.span * 0.1
                * {fraction("assigned_at", "b.i")} / greatest(b.steps, 1) END AS assigned_at,
            CASE WHEN {hashed("date", 20, "b.i")} = 0 THEN NULL
                ELSE b.created_on - {hashed("date", 4, "b.i + 1")}::int END AS date,
            CASE WHEN {follow_up}
                THEN greatest(b.created_on, %(today)s::date + ({follow_up_days}))
            END AS follow_up_on,
            CASE WHEN {follow_up} AND {hashed("follow_up_time", 5, "b.i")} < 2
                THEN time '09:00'
                    + {hashed("follow_up_time", 36, "b.i + 1")} * interval '15 minutes'
            END AS follow_up_time,
            {f"CASE b.status {stages} END" if with_stages else "NULL::int"} AS stages
        FROM (
            SELECT a.*,
                CASE WHEN a.status = 'NEW' THEN 0
                    ELSE least(1 + {hashed("steps", 3)}, CASE a.status {path_lengths} END)
                END AS steps,
                least(%(now)s::timestamptz - a.created_at, interval '{ACTIVE_DAYS} days') AS span,
                (a.created_at AT TIME ZONE %(tz)s)::date AS created_on
            FROM (
                SELECT i,
                    {uuid_of("customer", "i")} AS id,
                    CASE WHEN {hashed("blank", 100)} = 0 THEN ''
                        ELSE {first_name} || ' ' || {last_name} END AS name,
                    {phone_sql(context["prefixes"])} AS phone_number,
                    CASE WHEN {hashed("blank", 33, "i + 1")} = 0 THEN ''
                        ELSE {skewed_pick("%(areas)s::text[]", n_areas, "area", 2)} END AS area,
                    (%(remarks)s::text[])[1 + {hashed("remark", n_remarks)}] AS remark,
                    CASE WHEN {hashed("summary", 10)} = 0
                        THEN (%(notes)s::text[])[1 + {hashed("summary", n_notes, "i + 1")}]
                        ELSE '' END AS notes,
                    CASE WHEN {hashed("assigned", 100)} < {UNASSIGNED_PERCENT} THEN NULL
                        ELSE {skewed_pick("%(counsellors)s::uuid[]", n_team, "counsellor", 1.5)}
                    END AS assigned_to_id,
                    CASE WHEN {hashed("reassigned", 20)} = 0
                        THEN (%(counsellors)s::uuid[])[1 + {hashed("reassigned", n_team, "i + 1")}]
                    END AS earlier_assignee,
                    (%(statuses)s::text[])[
                        width_bucket({hashed("status", 1000)}, %(status_bounds)s::int[])
                    ] AS status,
                    {created} AS created_at
                FROM generate_series(%(chunk_start)s::bigint, %(chunk_stop)s::bigint - 1) AS i
            ) a
        ) b
    ) c
    """


def change_at_sql(alias: str, step: str) -> str:
    """SQL for when history step `step` (1-based) of a customer happened: each step inside
    its own slice of the customer's active span, so the steps keep their order."""
    moment = fraction("change", f"{alias}.i * 4 + {step}")
    return (
        f"{alias}.created_at + {alias}.span * (({step} - 1) + 0.1 + 0.8 * {moment}) / {alias}.steps"
    )


def load_chunk(cursor, context: dict, chunk_start: int, chunk_stop: int) -> tuple:
    """Insert customers chunk_start..chunk_stop-1 and their history in one transaction."""
    from django.db import transaction

    columns = table_columns(cursor, "customers_customer")
    written = CUSTOMER_COLUMNS + [c for c in OPTIONAL_CUSTOMER_COLUMNS if c in columns]
    params = dict(context, chunk_start=chunk_start, chunk_stop=chunk_stop)
    n_notes = len(context["notes"])
    paths = ", ".join(
        f"('{status}', {steps}, {step}, '{previous}', '{new}')"
        for status, steps, step, previous, new in path_rows()
    )
    with transaction.atomic():
        cursor.execute("DROP TABLE IF EXISTS bench_batch")
        cursor.execute(batch_sql(context, "stages" in columns), params)
        cursor.execute(
            f"INSERT INTO customers_customer ({', '.join(written)}) "
            f"SELECT {', '.join(written)} FROM bench_batch ORDER BY i"
        )
        customers = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO customers_customerstatushistory
                ({", ".join(HISTORY_COLUMNS["customers_customerstatushistory"])})
            SELECT {uuid_of("status", "b.i * 4 + p.step")}, b.id, p.previous, p.new,
                coalesce(b.assigned_to_id, %(manager)s), {change_at_sql("b", "p.step")},
                CASE WHEN {hashed("change_note", 10, "b.i * 4 + p.step")} < 3
                    THEN (%(notes)s::text[])[1 + {hashed("note", n_notes, "b.i * 4 + p.step")}]
                    ELSE '' END
            FROM bench_batch b
            JOIN (VALUES {paths}) AS p (status, steps, step, previous, new)
                ON p.status = b.status AND p.steps = b.steps
            """,
            params,
        )
        status_rows = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO customers_customerassignmenthistory
                ({", ".join(HISTORY_COLUMNS["customers_customerassignmenthistory"])})
            SELECT {uuid_of("assigned", "i * 2")}, id, NULL, earlier_assignee, %(manager)s,
                created_at + (assigned_at - created_at) / 2
            FROM bench_batch
            WHERE assigned_to_id IS NOT NULL AND earlier_assignee <> assigned_to_id
            UNION ALL
            SELECT {uuid_of("assigned", "i * 2 + 1")}, id, NULLIF(earlier_assignee, assigned_to_id),
                assigned_to_id, %(manager)s, assigned_at
            FROM bench_batch WHERE assigned_to_id IS NOT NULL
            """,
            params,
        )
        assignment_rows = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO customers_customernote
                ({", ".join(HISTORY_COLUMNS["customers_customernote"])})
            SELECT {uuid_of("note", "i")}, id, coalesce(assigned_to_id, %(manager)s),
                (%(notes)s::text[])[1 + {hashed("note", n_notes)}],
                created_at + span * {fraction("note_at")}, ''
            FROM bench_batch WHERE {hashed("note", 100, "i + 1")} < {NOTE_PERCENT}
            """,
            params,
        )
        notes = cursor.rowcount
        cursor.execute("DROP TABLE bench_batch")
    return customers, status_rows, assignment_rows, notes


def analyze(connection):
    """VACUUM (ANALYZE) what was loaded (just ANALYZE inside a transaction, as in tests)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND (tablename LIKE 'customers\\_%' OR tablename = 'accounts_user')"
        )
        tables = ", ".join(name for (name,) in cursor.fetchall())
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{command} {tables}")


def ensure_database(url: str):
    """Create the database `url` names on its server when it does not exist yet."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    server = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    server.close()


def server_url() -> str:
    """DATABASE_URL, which must name a PostgreSQL server: where the scratch databases go."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL must point at a PostgreSQL server, not {url!r}")
    return url


def database_url(server: str, name: str) -> str:
    """The URL of the database `name` on `server`'s PostgreSQL server."""
    return server.rsplit("/", 1)[0] + "/" + name


def database_exists(server: str, name: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(server)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    connection.close()
    return exists


def customers_in(url: str) -> int:
    """How many customers the database `url` holds: 0 before it is migrated."""
    import psycopg2

    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('customers_customer') IS NOT NULL")
        count = 0
        if cursor.fetchone()[0]:
            cursor.execute("SELECT count(*) FROM customers_customer")
            count = cursor.fetchone()[0]
    connection.close()
    return count


def drop_database(server: str, name: str):
    """Drop the database `name`, if there is one, ending the sessions still connected."""
    import psycopg2

    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def git_version() -> str:
    """The commit checked out, and whether tracked files have changed since."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = (
        " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    )
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, required=True, help="grow to this many")
    parser.add_argument("--counsellors", type=int, default=50)
    parser.add_argument("--password", help="everyone's password (default: none can log in)")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="default: DATABASE_URL"
    )
    args = parser.parse_args()
    if not (args.database_url or "").startswith(("postgres://", "postgresql://")):
        sys.exit("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    ensure_database(args.database_url)
    call_command("migrate", verbosity=0)
    loaded = fill(args.customers, args.counsellors, password=args.password)
    print(
        f"Added {loaded.customers:,} customers, {loaded.status_rows:,} status changes, "
        f"{loaded.assignment_rows:,} assignments and {loaded.notes:,} notes "
        f"in {loaded.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
