from django.db import migrations


class Migration(migrations.Migration):
    """Activity moves to its own app (activities.0001_initial) with its table, crm_activity,
    and every row in it: only the migration state forgets the model here; no table changes."""

    dependencies = [
        ('crm', '0013_merge_industry_and_my_day_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Activity')],
            database_operations=[],
        ),
    ]
