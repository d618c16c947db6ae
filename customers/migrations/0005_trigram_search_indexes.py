"""Trigram indexes for the customer search on PostgreSQL.

`CustomerQuerySet.search` asks for `name__icontains`, `area__icontains` and
`phone_number__contains`, which Django writes as `UPPER("name"::text) LIKE UPPER(%s)`,
`UPPER("area"::text) LIKE ...` and `"phone_number"::text LIKE %s`. A GIN index with
`gin_trgm_ops` answers LIKE '%...%' only when it is built on that very expression, so these
are (customers/tests/test_explain.py checks the planner uses them). pg_trgm is a trusted
extension: the database's owner may create it. SQLite has no such index and scans.
"""

from django.db import migrations

INDEXES = {
    "customer_name_trgm": 'UPPER(("name")::text)',
    "customer_area_trgm": 'UPPER(("area")::text)',
    "customer_phone_trgm": '(("phone_number")::text)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON customers_customer USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_counts_and_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
