"""Migration operations for changing big tables while the old code keeps serving.

``AddIndexConcurrently`` of ``django.contrib.postgres`` builds an index without locking the
table against writes, but exists only for PostgreSQL; the suite and ``make run`` also migrate
SQLite. ``AddIndexWithoutLocking`` is the same operation on PostgreSQL and a plain
``CREATE INDEX`` elsewhere. Use it in a migration with ``atomic = False``.
"""

from __future__ import annotations

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexWithoutLocking(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
