"""An index for matching companies by name whatever the case, on PostgreSQL only.

``Company.objects.matching(name=...)`` (the lead conversion's suggestions) asks for
``name__iexact``, which PostgreSQL compiles to ``UPPER(name::text) = UPPER(...)``: the plain
btree on ``name`` cannot serve it, so every conversion read all 100,000 companies. This index is
on that very expression. SQLite compiles ``iexact`` to ``LIKE`` and gets nothing.

Built ``CONCURRENTLY`` (a non-atomic migration) so that companies keep taking writes meanwhile.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS company_name_upper_idx "
        "ON crm_company (UPPER(name::text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS company_name_upper_idx")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("crm", "0003_activities_done_by")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
