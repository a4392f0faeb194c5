"""Indexes added to large tables are built without blocking writes on PostgreSQL (elsewhere
the operation is a plain AddIndex, which the migrations of every test run exercise)."""

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.state import ProjectState

from infra.postgres import AddIndexConcurrently, AddPostgresIndex, RemovePostgresIndex


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


def postgres_only(**options):
    index = models.Index(fields=["industry"], include=["name"], name="test_idx")
    return AddPostgresIndex("company", index, **options)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement")
def test_a_postgresql_only_index_can_be_built_and_dropped_concurrently(db):
    assert "CREATE INDEX CONCURRENTLY" in collected_sql(postgres_only(concurrently=True))
    assert "DROP INDEX CONCURRENTLY" in collected_sql(
        postgres_only(concurrently=True), backwards=True
    )
    assert "CONCURRENTLY" not in collected_sql(postgres_only())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement")
def test_an_index_no_longer_read_is_dropped_and_comes_back_when_unapplied(db):
    index = models.Index(fields=["industry"], include=["name"], name="test_idx")
    removal = RemovePostgresIndex("company", index, concurrently=True)

    assert "DROP INDEX CONCURRENTLY" in collected_sql(removal)
    assert "CREATE INDEX CONCURRENTLY" in collected_sql(removal, backwards=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement")
def test_a_table_given_the_live_rows_column_is_analyzed(db):
    from infra.postgres import Analyze

    assert collected_sql(Analyze("contact")) == 'ANALYZE "crm_contact";'
    assert collected_sql(Analyze("contact"), backwards=True) == ""
