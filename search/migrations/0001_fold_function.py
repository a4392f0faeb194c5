"""``search_fold(text)`` on PostgreSQL: lower case without accents (see ``infra.folding``).

``unaccent()`` itself is only STABLE (its dictionary could change), so no index may be built on
it; this wrapper names the dictionary and is declared IMMUTABLE, which is what PostgreSQL asks
of an index expression. It must not be inlined into the query, or the index would no longer
match: a SQL function whose body is less than immutable never is. SQLite registers a Python
function of the same name on each connection instead (``SearchConfig.ready``).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""

DROP = "DROP FUNCTION IF EXISTS search_fold(text);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop, elidable=False)]
