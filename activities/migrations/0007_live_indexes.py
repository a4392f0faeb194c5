"""The indexes the lists, boards and reports read hold the live rows only (the default
manager asks for them alone), so that what they answered from the index alone they still
do; the trashed rows have their own small index, by batch. Built beside the old ones
without blocking writes (``infra.postgres.replace_index``)."""

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
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["owner", "done_at", "due_date"],
                name="activity_owner_due_idx",
            ),
        ),
        *replace_index(
            "activity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["opportunity", "done_at", "due_date"],
                name="activity_opp_idx",
            ),
        ),
        *replace_index(
            "activity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["lead", "created_at"],
                name="activity_lead_idx",
            ),
        ),
        *replace_index(
            "activity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["created_at", "id"],
                name="activity_created_id_idx",
            ),
        ),
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
