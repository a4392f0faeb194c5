"""A partial covering index for the board's column totals (PostgreSQL only).

The totals read amount, probability and currency of the open deals of a pipeline, and owner and
team for visible_to: with all of them in the index, PostgreSQL answers with an index-only scan
instead of reading the table. SQLite has no INCLUDE (Django would warn on every command), so
the index is not declared on the model and is created here on PostgreSQL only.
"""

from django.db import migrations, models

from infra.postgres import AddPostgresIndex


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0002_default_pipeline")]

    operations = [
        AddPostgresIndex(
            "opportunity",
            models.Index(
                fields=["pipeline", "stage"],
                include=["amount", "probability", "currency", "owner", "team"],
                condition=models.Q(status="open"),
                name="opp_open_totals_idx",
            ),
        )
    ]
