from django.db import migrations, models

from infra.postgres import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("opportunities", "0011_unique_stage_order")]

    operations = [
        AddIndexConcurrently(
            model_name="opportunity",
            index=models.Index(fields=["updated_at"], name="opp_updated_idx"),
        ),
    ]
