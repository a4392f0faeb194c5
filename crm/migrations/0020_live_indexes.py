"""The indexes that answered a query from the index alone (My day's pending activities and new
leads, the board's columns and totals) hold the live rows only: the default manager now asks
for ``deleted_at IS NULL``, a column they would otherwise have to read from the table. Built
beside the old ones without blocking writes (``infra.postgres.replace_index``). The trashed
rows have their own small index, by batch."""

from django.db import migrations, models

from infra.postgres import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("crm", "0019_trash")]

    operations = [
        AddIndexConcurrently(
            model_name="company",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="company_trash_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="contact",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="contact_trash_idx",
            ),
        ),
    ]
