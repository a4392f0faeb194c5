"""Schema operations that exist only on PostgreSQL (production), skipped on SQLite.

Indexes of PostgreSQL's own kinds (GIN over trigrams, partial covering indexes with INCLUDE) are
created by these migration operations rather than declared in a model's ``Meta``: SQLite, which
runs the test suite, could not build them, and a model that declares them would make SQLite's
migrations fail. They are left out of the migration state on purpose, so ``makemigrations``
never tries to add or drop them; the names are fixed here and in the migration that uses them.
"""

from django.db.migrations.operations import AddIndex, RemoveIndex, RenameIndex
from django.db.migrations.operations.base import Operation
from django.db.models import OrderBy
from django.db.models.functions import Collate
from django.db.models.indexes import IndexExpression


class AddPostgresIndex(Operation):
    """``CREATE INDEX`` on PostgreSQL only; nothing on another database, nothing in the state.

    With ``concurrently``, built and dropped without blocking writes (the migration must set
    ``atomic = False``), as for an index added to a table that already holds a million rows.
    """

    reversible = True

    def __init__(self, model_name: str, index, *, concurrently: bool = False):
        self.model_name = model_name
        self.index = index
        self.concurrently = concurrently

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        # What django.contrib.postgres does when it is installed (it is not: nothing else here
        # needs it): an operator class in an index expression is written after the expression,
        # not inside its parentheses.
        from django.contrib.postgres.indexes import OpClass

        IndexExpression.register_wrappers(OrderBy, OpClass, Collate)
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_index(model, self.index, concurrently=self.concurrently)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_index(model, self.index, concurrently=self.concurrently)

    def describe(self) -> str:
        return f"Create index {self.index.name} on {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        options = {"concurrently": True} if self.concurrently else {}
        return (self.__class__.__qualname__, [self.model_name, self.index], options)


class AddIndexConcurrently(AddIndex):
    """``AddIndex`` that on PostgreSQL builds the index without blocking writes to the table
    (``CREATE INDEX CONCURRENTLY``): a million-row table keeps taking writes during a deploy.
    Elsewhere, a plain ``CREATE INDEX``. The migration using it must set ``atomic = False``.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            schema_editor.remove_index(model, self.index)


class RemovePostgresIndex(AddPostgresIndex):
    """``DROP INDEX`` of an index made by ``AddPostgresIndex`` (given alike), rebuilt when the
    migration is unapplied."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self) -> str:
        return f"Drop index {self.index.name} on {self.model_name} (PostgreSQL only)"


class RemoveIndexConcurrently(RemoveIndex):
    """``RemoveIndex`` that on PostgreSQL drops the index without blocking writes to the table
    (``DROP INDEX CONCURRENTLY``). The migration using it must set ``atomic = False``."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        concurrently = schema_editor.connection.vendor == "postgresql"
        schema_editor.remove_index(model, index, **({"concurrently": True} if concurrently else {}))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        concurrently = schema_editor.connection.vendor == "postgresql"
        schema_editor.add_index(model, index, **({"concurrently": True} if concurrently else {}))


def replace_index(model_name: str, index) -> list:
    """The operations that put ``index`` in place of the model's index of the same name (its
    fields or condition changed) while the table keeps taking reads and writes: the new one
    is built beside the old under a passing name, the old one dropped, the new one renamed.
    A plain RemoveIndex and AddIndex would leave the table without it while it is built."""
    building = index.clone()
    building.name = f"{index.name[:26]}_new"
    return [
        AddIndexConcurrently(model_name=model_name, index=building),
        RemoveIndexConcurrently(model_name=model_name, name=index.name),
        RenameIndex(model_name=model_name, new_name=index.name, old_name=building.name),
    ]


class Analyze(Operation):
    """``ANALYZE`` a model's table on PostgreSQL, after a column every query now filters on was
    added (the trash's ``deleted_at``): until the statistics know the column is NULL in nearly
    every row, the planner takes ``deleted_at IS NULL`` for a rare condition and trades the
    lists' index scans for sequential scans (the contact list: 9 ms → 106 ms at 300,000)."""

    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self) -> str:
        return f"Analyze the table of {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})
