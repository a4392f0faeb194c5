from django.db import migrations

from infra.postgres import Analyze


class Migration(migrations.Migration):
    """The planner learns that nearly every row is live (see ``infra.postgres.Analyze``)."""

    dependencies = [("opportunities", "0014_live_indexes")]

    operations = [Analyze("opportunity")]
