from django.db import migrations, models

from infra.postgres import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("activities", "0002_record_version")]

    operations = [
        AddIndexConcurrently(
            model_name="activity",
            index=models.Index(fields=["created_at", "id"], name="activity_created_id_idx"),
        ),
    ]
