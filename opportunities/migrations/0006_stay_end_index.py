"""An index for the end of each stay in a stage (PostgreSQL only, built concurrently).

The velocity report finds, for every entry of a deal into a stage, the deal's next stage or
status change: one index probe per entry, which this partial covering index answers without
reading the table (the field and new value are in it). SQLite has no INCLUDE, so the index is
not declared on the model (see infra.postgres).
"""

from django.db import migrations, models

from infra.postgres import AddPostgresIndex


class Migration(migrations.Migration):
    # Built without blocking writes to the history table.
    atomic = False

    dependencies = [("opportunities", "0005_open_board_index")]

    operations = [
        AddPostgresIndex(
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
