"""The indexes that answered a query from the index alone (My day's pending activities and new
leads, the board's columns and totals) hold the live rows only: the default manager now asks
for ``deleted_at IS NULL``, a column they would otherwise have to read from the table. Built
beside the old ones without blocking writes (``infra.postgres.replace_index``). The trashed
rows have their own small index, by batch."""

from django.db import migrations, models

from infra.postgres import (
    AddIndexConcurrently,
    AddPostgresIndex,
    RemovePostgresIndex,
    replace_index,
)


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("opportunities", "0013_trash")]

    operations = [
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("status", "open"), ("deleted_at__isnull", True)),
                fields=["stage", "expected_close_date", "id"],
                name="opp_open_board_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="opp_trash_idx",
            ),
        ),
        # The board's column totals (PostgreSQL only, see 0003): the live open deals.
        AddPostgresIndex(
            "opportunity",
            models.Index(
                fields=["pipeline", "stage"],
                include=["amount", "probability", "currency", "owner", "team"],
                condition=models.Q(status="open", deleted_at__isnull=True),
                name="opp_open_totals_live_idx",
            ),
            concurrently=True,
        ),
        RemovePostgresIndex(
            "opportunity",
            models.Index(
                fields=["pipeline", "stage"],
                include=["amount", "probability", "currency", "owner", "team"],
                condition=models.Q(status="open"),
                name="opp_open_totals_idx",
            ),
            concurrently=True,
        ),
    ]
