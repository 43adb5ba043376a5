"""layanan.core.compiled.CompiledQuery: a values() query compiled once per connection, then run
with a new value for its one parameter (the tracking page's reads)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.core.compiled import CompiledQuery
from layanan.core.models import Unit

pytestmark = pytest.mark.django_db


def test_rows_are_what_values_gives_for_each_value(org):
    """Each call runs one statement with its own value and returns what ``values()`` returns
    for it — the ORM's converters applied (aware datetimes on SQLite too)."""
    query = CompiledQuery(
        lambda slug: Unit._base_manager.filter(slug=slug).values("pk", "name", "created_at"),
        placeholder="placeholder-slug",
    )
    for slug in ("biro-kesra", "pemprov-kalbar", "no-such-unit"):
        with CaptureQueriesContext(connection) as ctx:
            rows = query.rows(slug)
        assert len(ctx) == 1
        assert rows == list(Unit.objects.filter(slug=slug).values("pk", "name", "created_at"))
    created = query.rows("biro-kesra")[0]["created_at"]
    assert isinstance(created, dt.datetime) and created.tzinfo is not None


def test_a_placeholder_that_is_not_the_one_parameter_is_refused(org):
    """The value must stand in exactly one place of the statement: a query that uses it twice
    (or not at all) is refused when compiled, not run with a stale value."""
    twice = CompiledQuery(
        lambda slug: Unit._base_manager.filter(slug=slug, name=slug).values("pk"), placeholder="x"
    )
    with pytest.raises(ValueError, match="once"):
        twice.rows("biro-kesra")
