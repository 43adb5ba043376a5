"""The stored figures of closed months (``MonthSnapshot``): read, write, invalidate.

A month is *closed* once its last instant in the office's time zone has passed; its figures
then change only when someone writes to the past — a case of that month corrected or closed
late, a survey response entered for it, a calendar change that moves deadlines. Every such write
ends here (:func:`snapshots_invalidate`, called from the signal receivers in ``signals.py`` and
from the two bulk writers that send no signal: ``cases.recompute`` and
``surveys.services.survey_responses_import``), and deletes the stored months it touches, after
the write commits; the next read recomputes and stores them.

Which months a write touches, for a unit's scope (the unit and every unit above it):

- a case: every month from the one it was received in. Its figures of that month (received,
  by kind, channel, service, class, visits) and of any later month (finished, first response,
  closed — all after receiving; and the open and overdue counts, which include every case
  received before a month's end and still open) can change, never those of an earlier month;
- a survey response: the month it was answered in.

This module knows nothing of the figures themselves (``summary.month_data`` makes them); the
selector that reads through it is ``summary.months_figures``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from layanan.core.models import Unit

from .metrics import Month
from .models import MonthSnapshot


def is_closed(month: Month, now: dt.datetime | None = None) -> bool:
    """Whether ``month`` has ended (office time zone) — by the clock, and by ``now`` when a
    caller computes as of an earlier moment: only closed months are stored."""
    clock = timezone.now()
    return month.end <= min(now or clock, clock)


def snapshots_read(unit: Unit, months: Iterable[Month]) -> dict[Month, dict]:
    """The stored figures of ``unit`` for those of ``months`` that have them. One query on the
    (unit, month) unique index; none when ``months`` is empty."""
    days = [m.first_day for m in months]
    if not days:
        return {}
    rows = MonthSnapshot.objects.filter(unit=unit, month__in=days).values_list("month", "data")
    return {Month.of(day): data for day, data in rows}


def snapshot_write(unit: Unit, month: Month, data: dict, *, now: dt.datetime | None = None):
    """Store ``data`` as ``unit``'s figures of the closed ``month`` (replacing a row another
    reader stored meanwhile). One query."""
    if not is_closed(month, now):
        raise ValueError(f"{month} is not closed yet: the current month is never stored")
    MonthSnapshot.objects.bulk_create(
        [MonthSnapshot(unit=unit, month=month.first_day, data=data, computed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["unit", "month"],
        update_fields=["data", "computed_at"],
    )


def _scope_units(unit_ids: Iterable[int]) -> list[int]:
    """The units whose scope holds a row of any of ``unit_ids``: each of them and every unit
    above it (from the materialised path: "0001/0003/" → 1, 3). One query."""
    paths = Unit.objects.filter(pk__in=set(unit_ids)).values_list("path", flat=True)
    return sorted({int(pk) for path in paths for pk in path.strip("/").split("/") if pk})


def _delete(changes: dict[int, dt.date]) -> None:
    by_unit = _scope_units(changes)
    if not by_unit:
        return
    since = min(changes.values())
    MonthSnapshot.objects.filter(unit_id__in=by_unit, month__gte=since).delete()


def _month_start(moment: dt.date | dt.datetime) -> dt.date:
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment, timezone.get_default_timezone()).date()
    return moment.replace(day=1)


def snapshots_invalidate(changes: Iterable[tuple[int, dt.date | dt.datetime]]) -> None:
    """Forget the stored months that writes to ``changes`` — (unit id, first moment the write
    touches: a case's ``received_at``, a response's ``answered_on``) — may have changed: every
    month from that one on, for the unit and every unit above it.

    Runs once the surrounding transaction commits (at once outside one): a write rolled back
    deletes nothing, and a reader that recomputes after the delete sees the write. (A reader
    that read the rows before the commit and stores after the delete keeps the old figures
    until the next write to that month — a window of one report computation; see
    docs/reports.md.) Two queries (the units' paths, one DELETE) per commit and call."""
    earliest: dict[int, dt.date] = {}
    for unit_id, moment in changes:
        if unit_id is None or moment is None:
            continue
        first = _month_start(moment)
        earliest[unit_id] = min(first, earliest.get(unit_id, first))
    if earliest:
        transaction.on_commit(lambda: _delete(earliest))


def snapshots_invalidate_cases(case_ids: Iterable[int]) -> None:
    """:func:`snapshots_invalidate` for cases known by id (a detail row saved, deadlines moved in
    bulk): their units and receiving times are read after commit. Three queries per commit."""
    ids = sorted({pk for pk in case_ids if pk is not None})
    if not ids:
        return

    def run():
        from layanan.cases.models import Case

        rows = Case._base_manager.filter(pk__in=ids).values_list("unit_id", "received_at")
        earliest: dict[int, dt.date] = {}
        for unit_id, received_at in rows:
            first = _month_start(received_at)
            earliest[unit_id] = min(first, earliest.get(unit_id, first))
        if earliest:
            _delete(earliest)

    transaction.on_commit(run)


def snapshots_invalidate_all() -> None:
    """Forget every stored month (the unit tree changed: every scope may have). One query,
    after commit."""
    transaction.on_commit(lambda: MonthSnapshot.objects.all().delete())
