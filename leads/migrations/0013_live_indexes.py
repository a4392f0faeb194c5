"""The indexes the lists, boards and reports read hold the live rows only (the default
manager asks for them alone), so that what they answered from the index alone they still
do; the trashed rows have their own small index, by batch. Built beside the old ones
without blocking writes (``infra.postgres.replace_index``)."""

from django.db import migrations, models

from infra.postgres import AddIndexConcurrently, replace_index


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("leads", "0012_trash")]

    operations = [
        *replace_index(
            "lead",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["status", "-created_at"],
                name="lead_status_created_idx",
            ),
        ),
        *replace_index(
            "lead",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["owner", "status"],
                name="lead_owner_status_idx",
            ),
        ),
        *replace_index(
            "lead",
            models.Index(
                condition=models.Q(("status", "new"), ("deleted_at__isnull", True)),
                fields=["owner", "team", "created_at", "id"],
                name="lead_new_owner_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="lead",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="lead_trash_idx",
            ),
        ),
    ]
