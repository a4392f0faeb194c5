"""The velocity report reads each stay's end from its own row now (0007): the index it used to
look the end up is dropped, without blocking writes to the history table."""

from django.db import migrations, models

from infra.postgres import RemovePostgresIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("opportunities", "0007_stay_ends")]

    operations = [
        RemovePostgresIndex(
            "opportunitychange",
            models.Index(
                fields=["opportunity", "changed_at", "id"],
                include=["field", "new_value"],
                condition=models.Q(field="stage") | models.Q(field="status"),
                name="opp_change_stay_end_idx",
            ),
            concurrently=True,
        )
    ]
