"""A PostgreSQL exclusion constraint that is a no-op on other databases.

Django's schema editors skip a constraint whose SQL is empty (``add_constraint`` and
``table_sql`` both filter falsy SQL), the way MySQL skips partial unique constraints. So the
constraint lives in ``Meta.constraints`` and in the migration state like any other — the state
is the same on every database and ``makemigrations --check`` stays clean — while only
PostgreSQL gets the ``EXCLUDE USING gist`` clause. On SQLite the service's check under a row
lock is the only guard (SQLite serialises writers anyway).
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint


def _is_postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if connections[using].vendor != "postgresql":
            return  # the service checks overlaps itself on other databases
        super().validate(model, instance, exclude=exclude, using=using)

    def _check_postgres_installed(self, *args):
        # ``django.contrib.postgres`` is not needed to create this constraint (its SQL is plain
        # EXCLUDE USING gist, ranges are built by TSTZRANGE), nor to run on SQLite, so the
        # project does not install the app just for the check (postgres.E005).
        return []
