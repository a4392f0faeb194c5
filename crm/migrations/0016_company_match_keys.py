"""Two keys to match companies on: the name without its legal form, and the website's domain.

"Bodegas Almendral S.L." and "Bodegas Almendral" are one business, and so is a company whose
website is https://www.bodegasalmendral.es and one whose email domain is bodegasalmendral.es.
``Company.save`` writes both keys from now on (``crm.matching``); this migration writes them
for the companies so far, with the same functions, so that old and new rows compare alike.

Not atomic: the columns are added at once (a constant default, which PostgreSQL stores without
rewriting the table), then the keys are written in batches of companies, each its own
transaction with its rows locked, so that the table is never locked for the whole backfill and
the running release keeps saving companies meanwhile. Rows that already have a key are left
alone, so an interrupted run can simply be run again. The indexes are built afterwards,
without blocking writes.

``Company.objects.matching`` no longer asks for the name in any case (``name__iexact``): the
key says more, so the index made for that (0010) is dropped.
"""

from django.db import migrations, models, transaction
from django.db.models import Max

from crm.matching import company_domain, company_name_key
from infra.postgres import AddIndexConcurrently

COMPANIES_PER_BATCH = 2_000


def write_match_keys(apps, schema_editor):
    Company = apps.get_model("crm", "Company")
    database = schema_editor.connection.alias
    companies = Company.objects.using(database).filter(name_key="")
    last = companies.aggregate(last=Max("pk"))["last"] or 0
    for first in range(0, last + 1, COMPANIES_PER_BATCH):
        with transaction.atomic(using=database):
            batch = list(
                companies.filter(pk__gte=first, pk__lt=first + COMPANIES_PER_BATCH)
                .select_for_update()
                .only("pk", "name", "website")
            )
            for company in batch:
                company.name_key = company_name_key(company.name)
                company.website_domain = company_domain(company.website)
            Company.objects.using(database).bulk_update(batch, ["name_key", "website_domain"])


def drop_name_upper_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS company_name_upper_idx")


def create_name_upper_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS company_name_upper_idx "
            "ON crm_company (UPPER(name::text))"
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("crm", "0015_record_version_and_web_addresses")]

    operations = [
        migrations.AddField(
            model_name="company",
            name="name_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="company",
            name="website_domain",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(write_match_keys, migrations.RunPython.noop, elidable=True),
        AddIndexConcurrently(
            model_name="company",
            index=models.Index(fields=["name_key"], name="company_name_key_idx"),
        ),
        AddIndexConcurrently(
            model_name="company",
            index=models.Index(fields=["website_domain"], name="company_website_domain_idx"),
        ),
        migrations.RunPython(drop_name_upper_index, create_name_upper_index, elidable=False),
    ]
