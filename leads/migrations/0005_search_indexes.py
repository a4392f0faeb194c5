"""Trigram indexes for the lead list's search, on PostgreSQL only.

The search matches every word anywhere in the name, company, email or phone
(``icontains``/``contains``), which a btree cannot serve: over a million leads each search read
the whole table. PostgreSQL's trigram GIN indexes answer ``LIKE '%word%'``; each is built on
exactly the expression Django's lookup compiles to (``UPPER(col::text)`` for ``icontains``),
so that the planner can use it. SQLite gets nothing.

Built ``CONCURRENTLY`` (hence a non-atomic migration) so that the leads table keeps taking
writes while the indexes are built on a live database.
"""

from django.db import migrations

INDEXES = {
    "lead_first_name_trgm": "UPPER(first_name::text) gin_trgm_ops",
    "lead_last_name_trgm": "UPPER(last_name::text) gin_trgm_ops",
    "lead_company_name_trgm": "UPPER(company_name::text) gin_trgm_ops",
    "lead_email_trgm": "UPPER(email_normalized::text) gin_trgm_ops",
    "lead_phone_trgm": "(phone_normalized::text) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON leads_lead USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("leads", "0004_seed_sources_and_reasons")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
