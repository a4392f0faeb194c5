"""Drop the trigram indexes on ``UPPER(name)`` that the folded ones (0002) replace.

No query reads them any more: every search of these names goes through ``search_fold``. Each
GIN index is still updated on every write of a lead, contact or company, so they go. Dropped
``CONCURRENTLY``; unapplying rebuilds them as crm 0004 and leads 0005 made them. The indexes
on emails, domains, websites and phones stay: those columns are searched as they were.
"""

from django.db import migrations

INDEXES = {
    "lead_first_name_trgm": "leads_lead USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "lead_last_name_trgm": "leads_lead USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "lead_company_name_trgm": "leads_lead USING gin (UPPER(company_name::text) gin_trgm_ops)",
    "contact_first_name_trgm": "crm_contact USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "contact_last_name_trgm": "crm_contact USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "contact_job_title_trgm": "crm_contact USING gin (UPPER(job_title::text) gin_trgm_ops)",
    "company_name_trgm": "crm_company USING gin (UPPER(name::text) gin_trgm_ops)",
}


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0002_folded_search_indexes")]

    operations = [migrations.RunPython(drop_indexes, create_indexes, elidable=False)]
