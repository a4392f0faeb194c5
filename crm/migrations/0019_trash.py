"""Records go to the trash before they are deleted for good (crm.trash)."""

import django.db.models.deletion
import uuid

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0018_email_opt_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrashBatch",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("deleted_at", models.DateTimeField(db_index=True, verbose_name="deleted")),
                ("root_id", models.PositiveBigIntegerField()),
                ("label", models.CharField(max_length=200, verbose_name="name")),
                (
                    "along",
                    models.PositiveIntegerField(default=0, verbose_name="records deleted with it"),
                ),
                ("cleared_links", models.JSONField(blank=True, default=list)),
                (
                    "deleted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="deleted by",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "root_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="crm.team",
                        verbose_name="team",
                    ),
                ),
            ],
            options={
                "verbose_name": "deleted record",
                "verbose_name_plural": "deleted records",
                "ordering": ["-deleted_at"],
            },
        ),
        migrations.AddField(
            model_name="company",
            name="deleted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="deleted"
            ),
        ),
        migrations.AddField(
            model_name="company",
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
        migrations.AddField(
            model_name="contact",
            name="deleted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="deleted"
            ),
        ),
        migrations.AddField(
            model_name="contact",
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
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "Login"),
                    ("login_failed", "Failed login"),
                    ("lockout", "Login locked"),
                    ("logout", "Logout"),
                    ("password_changed", "Password changed"),
                    ("password_reset_requested", "Password reset requested"),
                    ("password_reset", "Password reset"),
                    ("rights_changed", "Role, team or permissions changed"),
                    ("token_created", "API token created"),
                    ("token_used", "API token used (first use of the day)"),
                    ("token_revoked", "API token revoked"),
                    ("export", "Export"),
                    ("import", "Import"),
                    ("merge", "Merge"),
                    ("access_denied", "Access denied"),
                    ("burst_alert", "Burst of lockouts or denials"),
                    ("personal_data_exported", "Personal data exported"),
                    ("personal_data_erased", "Personal data erased"),
                    ("trash_purged", "Deleted for good from the trash"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
    ]
