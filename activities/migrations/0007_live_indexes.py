"""The indexes that answered a query from the index alone (My day's pending activities and new
leads, the board's columns and totals) hold the live rows only: the default manager now asks
for ``deleted_at IS NULL``, a column they would otherwise have to read from the table. Built
beside the old ones without blocking writes (``infra.postgres.replace_index``). The trashed
rows have their own small index, by batch."""

from django.db import migrations, models

from infra.postgres import AddIndexConcurrently, replace_index


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("activities", "0006_trash")]

    operations = [
        *replace_index(
            "activity",
            models.Index(
                condition=models.Q(
                    ("done_at__isnull", True),
                    models.Q(("kind", "note"), _negated=True),
                    ("deleted_at__isnull", True),
                ),
                fields=["owner", "due_date", "due_time", "id"],
                name="activity_pending_owner_idx",
            ),
        ),
        *replace_index(
            "activity",
            models.Index(
                condition=models.Q(
                    ("done_at__isnull", True),
                    ("opportunity__isnull", False),
                    models.Q(("kind", "note"), _negated=True),
                    ("deleted_at__isnull", True),
                ),
                fields=["opportunity", "due_date", "due_time", "id"],
                name="activity_pending_opp_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="activity_trash_idx",
            ),
        ),
    ]
