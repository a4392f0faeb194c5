"""The indexes the lists, boards and reports read hold the live rows only (the default
manager asks for them alone), so that what they answered from the index alone they still
do; the trashed rows have their own small index, by batch. Built beside the old ones
without blocking writes (``infra.postgres.replace_index``)."""

from django.db import migrations, models

from infra.postgres import AddIndexConcurrently, replace_index


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("crm", "0019_trash")]

    operations = [
        *replace_index(
            "company",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["name"],
                name="company_name_idx",
            ),
        ),
        *replace_index(
            "company",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["industry"],
                name="company_industry_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="company",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="company_trash_idx",
            ),
        ),
        *replace_index(
            "contact",
            models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["last_name", "first_name"],
                name="contact_name_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="contact",
            index=models.Index(
                condition=models.Q(("trash_batch__isnull", False)),
                fields=["trash_batch"],
                name="contact_trash_idx",
            ),
        ),
    ]
