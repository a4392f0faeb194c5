"""Trigram indexes on the folded names that the searches read, on PostgreSQL only.

The searches match names whatever their case and accents, ``search_fold(column) LIKE
'%word%'`` (``infra.folding``). The trigram indexes on ``UPPER(column)`` that served the
case-blind ``icontains`` cannot serve that expression: without these, every lead search would
read the million leads and fold each name (seconds). Each index is on exactly the expression
the lookup compiles to. Deals had no such index: their names were read in full, and folding
each one costs far more than upper-casing it did.

Built ``CONCURRENTLY`` (a non-atomic migration) so that the tables keep taking writes meanwhile.
SQLite gets nothing.
"""

from django.db import migrations

INDEXES = {
    "lead_first_name_fold_trgm": ("leads_lead", "first_name"),
    "lead_last_name_fold_trgm": ("leads_lead", "last_name"),
    "lead_company_name_fold_trgm": ("leads_lead", "company_name"),
    "contact_first_name_fold_trgm": ("crm_contact", "first_name"),
    "contact_last_name_fold_trgm": ("crm_contact", "last_name"),
    "contact_job_title_fold_trgm": ("crm_contact", "job_title"),
    "company_name_fold_trgm": ("crm_company", "name"),
    "opportunity_name_fold_trgm": ("opportunities_opportunity", "name"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (search_fold({column}::text) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0001_fold_function"),
        ("crm", "0004_trigram_search_indexes"),
        ("leads", "0005_search_indexes"),
        ("opportunities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
