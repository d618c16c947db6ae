"""On PostgreSQL, with a realistic number of customers, the customer list's queries read
indexes: no sequential scan of the customer table for any filter, search or sort the list
offers (docs/architecture.md, "Performance").

A plan depends on more than the indexes, so the test pins the rest and fails only when an
index is really missing: the table is vacuumed first (no dead rows or pending GIN entries left
by earlier tests in the session), its rows are loaded and every trigram index's pending list
is merged, ANALYZE reads every row (so the statistics are the same on every run, not a random
sample), and the planner's settings are fixed for the transaction.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Customer

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans checked are PostgreSQL's"
)

CUSTOMERS = 60_000
SEQUENTIAL_SCAN = re.compile(r"Seq Scan on customers_customer\s")
TRIGRAM_INDEXES = ["customer_name_trgm", "customer_area_trgm", "customer_phone_trgm"]
# PostgreSQL's defaults for what decides between an index and a sequential scan, whatever the
# server or an earlier test set; no parallel plans, whose costs depend on the server's workers.
PLANNER_SETTINGS = {
    "seq_page_cost": "1",
    "random_page_cost": "4",
    "cpu_tuple_cost": "0.01",
    "cpu_index_tuple_cost": "0.005",
    "cpu_operator_cost": "0.0025",
    "effective_cache_size": "4GB",
    "work_mem": "4MB",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
    "enable_seqscan": "on",
    "enable_indexscan": "on",
    "enable_bitmapscan": "on",
    "enable_indexonlyscan": "on",
    # ANALYZE samples 300 rows per unit: 1,000 reads all 60,000 rows, never a random sample.
    "default_statistics_target": "1000",
}
SORTS = ["name", "-name", "phone", "area", "date", "status", "assigned_to", "created"]
SORTS += ["-updated", "follow_up"]


@pytest.fixture(scope="module")
def vacuumed(django_db_setup, django_db_blocker):
    """The customer table without the dead rows and pending index entries that earlier tests'
    rolled-back transactions leave (VACUUM cannot run inside the test's transaction)."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE customers_customer")


@pytest.fixture
def many_customers(vacuumed, manager, counsellor, other_counsellor):
    """60,000 customers spread over two counsellors, statuses, areas and years, analysed in
    full under fixed planner settings (for this test's transaction only)."""
    statuses = Customer.Status.values
    with connection.cursor() as cursor:
        for name, value in PLANNER_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        cursor.execute(
            """
            INSERT INTO customers_customer (id, name, phone_number, area, date, remark, status,
                notes, assigned_to_id, follow_up_on, created_at, updated_at)
            SELECT gen_random_uuid(),
                   (ARRAY['Asha','Ravi','Meera','Arjun','Farhan','Lakshmi'])[1 + i %% 6]
                       || ' ' || (ARRAY['Nair','Kumar','Iyer','Khan','Menon'])[1 + i %% 5]
                       || ' ' || i,
                   '+919' || lpad(((i * 7919) %% 1000000000)::text, 9, '0'),
                   (ARRAY['Kochi','Thrissur','Chennai','Bengaluru'])[1 + i %% 4],
                   DATE '2024-01-01' + (i %% 900), '', (%s::text[])[1 + (i * 31) %% 12], '',
                   CASE i %% 10 WHEN 0 THEN NULL WHEN 1 THEN %s::uuid ELSE %s::uuid END,
                   CASE WHEN i %% 7 = 0 THEN DATE '2026-11-01' + (i %% 60) END,
                   now() - make_interval(mins => i * 20), now() - make_interval(mins => i * 7)
            FROM generate_series(1, %s) AS i
            """,
            [statuses, counsellor.pk, other_counsellor.pk, CUSTOMERS],
        )
        for index in TRIGRAM_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE customers_customer")


def list_queries(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/customers/", params)
    assert response.status_code == 200
    return [q["sql"] for q in captured if "customers_customer" in q["sql"]]


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


LISTS = [
    {},
    {"page": 300},
    {"status": "ADMISSION"},
    {"status": "NEW"},
    {"q": "Farhan Khan 4"},
    {"q": "98761"},
    # Several words: an AND of one OR per word, each OR a trigram index (or the status one).
    # Each finds customers, so the page's own query is checked too.
    {"q": "Thrissur Follow"},
    {"q": "Asha Chennai interested"},
    {"q": "Asha 98761"},
    *({"sort": sort} for sort in SORTS),
]


# One test, so the customers are written once (each test rolls them back).
@pytest.mark.django_db
def test_customer_list_queries_use_indexes_and_search_the_trigram_ones(
    manager_client, counsellor, many_customers
):
    for params in [*LISTS, {"assigned_to": str(counsellor.pk)}]:
        queries = list_queries(manager_client, params)

        assert queries, params
        for sql in queries:
            assert not SEQUENTIAL_SCAN.search(plan(sql)), (params, sql)

    for query, index in (
        ("Farhan Khan 4", "customer_name_trgm"),
        ("98761", "customer_phone_trgm"),
        ("Asha Chennai interested", "customer_name_trgm"),
    ):
        plans = [plan(sql) for sql in list_queries(manager_client, {"q": query})]

        assert any(index in p for p in plans), plans

    # "My customers": what is due first (its default, with the last note of each row), the
    # newest first, and a deep page of either.
    mine = Client()
    mine.force_login(counsellor)
    for params in [{}, {"page": 200}, {"sort": "-created"}, {"sort": "-created", "page": 200}]:
        queries = list_queries(mine, params)

        assert queries, params
        for sql in queries:
            assert not SEQUENTIAL_SCAN.search(plan(sql)), (params, sql)
