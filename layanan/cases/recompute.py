"""Recompute running cases' due times after the working-day calendar changed.

A change to the calendar (a holiday added, removed or moved; a unit's office hours; an override
such as Ramadan hours or a closure) is recorded by ``workdays.services.calendar_changed`` as a
``CalendarRecompute`` run; the task ``cases.tasks.calendar_recompute_task`` carries it out here.

- **Which cases**: running ones (received, verified, in progress; not waiting on the requester —
  a paused case is recomputed when it resumes anyway), with a due time, whose span from receipt
  to due time meets the changed dates (a day's margin either side covers every time zone; a
  case selected needlessly simply does not move), of the run's unit and the units below it when
  the change belongs to a unit. Closed, answered and rejected cases keep their due time.
- **How**: in batches of ``BATCH`` cases by id. Each batch is one transaction that locks its
  rows (``select_for_update``), *then* builds the calendars and recomputes with
  ``case_recompute_due`` — from the original receipt, with the case's pauses. Reclassification,
  pauses and resumes lock the same row before they recompute, so whichever comes second reads
  the first one's result and the committed calendar: the case ends with the due time all of
  them together give (no lost update).
- **What a moved case gets**, in the same transaction: the new ``due_at``; a public timeline
  event (``due_changed``) whose note gives the reason and old → new time; the reporter's message
  for a move of a day or more (``complaints/notifications.py``, through ``events_bulk_created``;
  anonymous reporters get nothing); and the SLA sweep's re-evaluation of exactly these cases
  (back on track, due soon, or overdue and escalated once).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layanan.core.models import Unit
from layanan.reports.snapshots import snapshots_invalidate_cases
from layanan.workdays.calendar_lock import calendar_read_lock
from layanan.workdays.deadlines import Calendar, format_due
from layanan.workdays.models import CalendarRecompute, RecomputeStatus

from .deadlines import case_recompute_due
from .events import DUE_CHANGED_EVENT, events_bulk_created
from .models import Case, CaseEvent
from .selectors import running_q
from .sla import sla_sweep

logger = logging.getLogger("layanan.cases")

BATCH = 500
ATTEMPTS = 3  # a batch that meets a deadlock (PostgreSQL aborts one side) is tried again

MARGIN = dt.timedelta(days=1)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def candidates_q(run: CalendarRecompute) -> Q:
    """Running cases whose span [receipt, due time] meets the run's dates and unit."""
    condition = running_q() & Q(due_at__isnull=False)
    if run.date_to is not None:
        condition &= Q(received_at__lt=_day_start(run.date_to) + MARGIN * 2)
    if run.date_from is not None:
        condition &= Q(due_at__gte=_day_start(run.date_from) - MARGIN)
    if run.unit_id is not None:
        condition &= Q(unit__in=Unit.objects.subtree_of([run.unit]))
    return condition


def calendar_recompute_run(*, run_id: int, batch: int = BATCH) -> CalendarRecompute:
    """Carry out one run (idempotent: running it again moves nothing more)."""
    run = CalendarRecompute.objects.select_related("unit").get(pk=run_id)
    run.status, run.started_at, run.error = RecomputeStatus.RUNNING, timezone.now(), ""
    run.cases_checked = run.cases_moved = 0
    run.save(update_fields=["status", "started_at", "error", "cases_checked", "cases_moved"])
    condition = candidates_q(run)
    calendars = CalendarCache()
    last = 0
    try:
        while True:
            ids = list(
                Case.objects.filter(condition, pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            checked, moved = _with_retry(ids, run, calendars)
            last = ids[-1]
            run.cases_checked += checked
            run.cases_moved += moved
            run.save(update_fields=["cases_checked", "cases_moved"])  # progress, for the admin
    except Exception as exc:
        run.status, run.error, run.finished_at = RecomputeStatus.FAILED, repr(exc), timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status, run.finished_at = RecomputeStatus.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    logger.info(
        "calendar recompute %s: %s running cases checked, %s moved (%s)",
        run.pk,
        run.cases_checked,
        run.cases_moved,
        run.reason,
    )
    return run


class CalendarCache:
    """The units' calendars, kept from one batch to the next while no calendar change has been
    recorded since they were read (every change records a ``CalendarRecompute`` row in its own
    transaction, and cannot commit while a batch holds the calendar shared)."""

    def __init__(self) -> None:
        self.calendars: dict[int, Calendar] = {}
        self.seen: int | None = None

    def for_units(self, units: dict[int, Unit]) -> dict[int, Calendar]:
        latest = CalendarRecompute.objects.aggregate(latest=Max("pk"))["latest"]
        if latest != self.seen:
            self.calendars, self.seen = {}, latest
        for pk, unit in units.items():
            if pk not in self.calendars:
                self.calendars[pk] = Calendar.for_unit(unit)
        return self.calendars


def _with_retry(
    ids: list[int], run: CalendarRecompute, calendars: CalendarCache
) -> tuple[int, int]:
    for attempt in range(ATTEMPTS):
        try:
            return _recompute_batch(ids, run, calendars)
        except DatabaseError:
            if attempt == ATTEMPTS - 1:
                raise
            logger.warning("calendar recompute %s: batch retried", run.pk, exc_info=True)
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def _recompute_batch(
    ids: list[int], run: CalendarRecompute, cache: CalendarCache
) -> tuple[int, int]:
    """Lock, recompute and record one batch; (cases checked, cases moved)."""
    # Lock first (in id order: two runs never deadlock), then re-check the status under the
    # lock — a case closed or paused meanwhile is left alone.
    cases = list(
        Case.objects.select_for_update()
        .filter(running_q(), pk__in=ids, due_at__isnull=False)
        .order_by("pk")
        .prefetch_related("pauses")
    )
    # The calendars are read after the locks (rows, then the calendar shared): a change
    # committed before them is seen, one in flight waits for this batch to commit.
    calendar_read_lock()
    units = Unit.objects.in_bulk({case.unit_id for case in cases})
    calendars = cache.for_units(units)
    now = timezone.now()
    moved: list[tuple[Case, dt.datetime]] = []
    for case in cases:
        case.unit = units[case.unit_id]
        old = case.due_at
        new = case_recompute_due(case=case, save=False, calendar=calendars[case.unit_id])
        if new is not None and new != old:
            case.updated_at = now
            moved.append((case, old))
    if not moved:
        return len(cases), 0
    # Due times are mostly a day's closing time, so a batch shares few of them: one UPDATE per
    # distinct due time (rows already locked above) instead of one CASE over the whole batch.
    by_due: dict[dt.datetime, list[int]] = {}
    for case, _old in moved:
        by_due.setdefault(case.due_at, []).append(case.pk)
    for new_due, pks in by_due.items():
        Case.objects.filter(pk__in=pks).update(due_at=new_due, updated_at=now)
    events = []
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Calendar change, recompute #%(run)s.") % {"run": run.pk}
        for case, old in moved:
            tz = calendars[case.unit_id].tz
            events.append(
                CaseEvent(
                    case=case,
                    at=now,
                    kind=DUE_CHANGED_EVENT,
                    old_value=old.isoformat(),
                    new_value=case.due_at.isoformat(),
                    note=note,
                    public_note=_(
                        "Deadline adjusted: %(reason)s. New due time: %(new)s (was %(old)s)."
                    )
                    % {
                        "reason": run.reason,
                        "new": format_due(case.due_at, tz),
                        "old": format_due(old, tz),
                    },
                )
            )
    events = CaseEvent.objects.bulk_create(events)
    events_bulk_created.send(sender=CaseEvent, events=events)
    # The bulk UPDATE sends no post_save: the stored report months of these cases are stale.
    snapshots_invalidate_cases([case.pk for case, _old in moved])
    sla_sweep(now=now, only=[case.pk for case, _old in moved])
    return len(cases), len(moved)
