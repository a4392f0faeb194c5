"""Records go to the trash before they are deleted for good (crm.trash)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_activity_reminders"),
        ("crm", "0019_trash"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="deleted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="deleted"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="trash_batch",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="crm.trashbatch",
            ),
        ),
    ]
