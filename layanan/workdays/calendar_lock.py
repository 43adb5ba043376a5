"""A readers–writer lock on the working-day calendar, so that no due time is computed from a
calendar that is being changed and then missed by the recompute of that change.

- Every transaction that stores a due time (``cases.deadlines.case_recompute_due``: creation,
  transitions, classification, the calendar recompute itself) takes the lock **shared** before
  it reads the calendar, and holds it until it commits.
- Every change to the calendar (``workdays.services.calendar_changed``) takes it **exclusive**
  in its own transaction.

So a change waits for the due times being computed from the old calendar to commit — the
recompute task, which starts after the change commits, then sees them and recomputes them —
and a due time computed after the change began waits for it and reads the new calendar.

PostgreSQL: a transaction-level advisory lock (no row is written; shared holders do not block
each other). Other databases serialise writers anyway (SQLite): nothing to do.
"""

from __future__ import annotations

from django.db import connection

#: The advisory lock's key (arbitrary; "LYNK" in ASCII).
CALENDAR_LOCK_KEY = 0x4C594E4B


def _lock(function: str) -> None:
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [CALENDAR_LOCK_KEY])


def calendar_read_lock() -> None:
    """Hold the calendar shared until the end of the current transaction."""
    _lock("pg_advisory_xact_lock_shared")


def calendar_write_lock() -> None:
    """Hold the calendar exclusively until the end of the current transaction."""
    _lock("pg_advisory_xact_lock")
