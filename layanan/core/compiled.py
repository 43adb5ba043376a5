"""A ``values()`` query compiled to SQL once per database connection and then run with a new
value for its one parameter: for the hottest public reads (the tracking page), where turning
the queryset into SQL costs more than the database takes to answer it.

The SQL is the ORM's own (``QuerySet.query.get_compiler().as_sql()``), for the connection's
database, so nothing is written by hand; the values come back through the same converters the
ORM applies (SQLite's datetimes, for instance). Build the queryset from ``_base_manager`` (a
scoped manager's filter would be compiled in) and with no value that changes between calls but
the one parameter.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    position: int
    names: tuple[str, ...]
    converters: dict  # {column position: (converters, expression)}, as the ORM's compiler has


class CompiledQuery:
    """``CompiledQuery(lambda value: Model._base_manager.filter(x=value).values(...))``;
    ``.rows(value)`` runs it (one statement) and returns a list of dicts, as ``values()`` would.

    ``placeholder`` stands in for the value while compiling: a value of the parameter's type
    that the compiled SQL must carry exactly once (checked)."""

    def __init__(self, build: Callable[[Any], QuerySet], placeholder: Any, *, using: str = ""):
        self.build = build
        self.placeholder = placeholder
        self.using = using or DEFAULT_DB_ALIAS
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, connection) -> _Compiled:
        queryset = self.build(self.placeholder)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        positions = [i for i, p in enumerate(params) if p == self.placeholder]
        if len(positions) != 1:
            raise ValueError(f"the placeholder must appear once in the parameters: {params!r}")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        if len(names) != len(fields):
            raise ValueError("CompiledQuery needs a values() queryset")
        return _Compiled(sql, tuple(params), positions[0], names, compiler.get_converters(fields))

    def rows(self, value: Any) -> list[dict]:
        connection = connections[self.using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(connection) or self._compile(connection)
                self._compiled[connection] = compiled
        params = list(compiled.params)
        params[compiled.position] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for position, (converters, expression) in compiled.converters.items():
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            rows.append(dict(zip(compiled.names, row, strict=True)))
        return rows
