"""The indexes the lists, boards and reports read hold the live rows only (the default
manager asks for them alone), so that what they answered from the index alone they still
do; the trashed rows have their own small index, by batch. Built beside the old ones
without blocking writes (``infra.postgres.replace_index``)."""

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
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["stage", "status", "expected_close_date"],
                name="opp_board_idx",
            ),
        ),
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["updated_at"],
                name="opp_updated_idx",
            ),
        ),
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("status", "open"), ("deleted_at__isnull", True)),
                fields=["stage", "expected_close_date", "id"],
                name="opp_open_board_idx",
            ),
        ),
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["owner", "status", "expected_close_date"],
                name="opp_owner_idx",
            ),
        ),
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["status", "expected_close_date"],
                name="opp_status_close_idx",
            ),
        ),
        *replace_index(
            "opportunity",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["expected_close_date", "id"],
                name="opp_close_order_idx",
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
