"""Trigram indexes for the company and contact searches (PostgreSQL only).

The searches match words anywhere in names, domains and emails (``icontains``, which Django
writes as ``UPPER(column::text) LIKE UPPER('%word%')``): a B-tree cannot help, so every search
read the whole table. A GIN index of the trigrams of ``UPPER(column)`` answers those LIKEs, and
PostgreSQL combines one per searched column (a BitmapOr). SQLite, which runs the tests, has
neither the extension nor the index type: the operations below do nothing there.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from infra.postgres import AddPostgresIndex


def trigram_index(column: str, name: str) -> GinIndex:
    return GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_activities_done_by")]

    operations = [
        # CREATE EXTENSION runs on PostgreSQL only (Django checks the vendor itself).
        TrigramExtension(),
        AddPostgresIndex("company", trigram_index("name", "company_name_trgm")),
        AddPostgresIndex("company", trigram_index("website", "company_website_trgm")),
        AddPostgresIndex("company", trigram_index("domain_normalized", "company_domain_trgm")),
        AddPostgresIndex("company", trigram_index("phone_normalized", "company_phone_trgm")),
        AddPostgresIndex("contact", trigram_index("first_name", "contact_first_name_trgm")),
        AddPostgresIndex("contact", trigram_index("last_name", "contact_last_name_trgm")),
        AddPostgresIndex("contact", trigram_index("email_normalized", "contact_email_trgm")),
        AddPostgresIndex("contact", trigram_index("job_title", "contact_job_title_trgm")),
        AddPostgresIndex("contact", trigram_index("phone_normalized", "contact_phone_trgm")),
    ]
