"""Indexes added to large tables are built without blocking writes on PostgreSQL."""

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.state import ProjectState

from crm.postgres import AddIndexConcurrently


def collected_sql(operation, *, backwards=False) -> str:
    state = ProjectState.from_apps(apps)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        if backwards:
            operation.database_backwards("crm", editor, state, state)
        else:
            operation.database_forwards("crm", editor, state, state)
    return " ".join(editor.collected_sql)


def operation():
    return AddIndexConcurrently("company", models.Index(fields=["industry"], name="test_idx"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement")
def test_on_postgresql_the_index_is_built_and_dropped_concurrently(db):
    assert "CREATE INDEX CONCURRENTLY" in collected_sql(operation())
    assert "DROP INDEX CONCURRENTLY" in collected_sql(operation(), backwards=True)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
def test_elsewhere_it_is_a_plain_index(db):
    sql = collected_sql(operation())
    assert "CREATE INDEX" in sql and "CONCURRENTLY" not in sql
