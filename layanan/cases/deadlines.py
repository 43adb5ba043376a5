"""A case's due time: the completion time it is held to, and ``due_at`` recomputed from it on the
working-day calendar (``workdays/deadlines.py``). Creation, the workflow (pauses and resumes),
classification, visits and the calendar recompute all come here."""

from __future__ import annotations

from layanan.workdays.calendar_lock import calendar_read_lock
from layanan.workdays.deadlines import deadline
from layanan.workdays.durations import Duration

from .models import Case


def standard_duration(standard) -> Duration | None:
    """The first fixed completion time of the standard's published version."""
    version = standard.published_version if standard is not None else None
    completion = version.primary_completion_time() if version is not None else None
    return completion.as_duration() if completion is not None else None


def case_set_duration(case: Case, duration: Duration | None) -> None:
    """Hold the case to ``duration`` (call case_recompute_due afterwards)."""
    fixed = duration if duration is not None and duration.is_fixed() else None
    case.sla_value = fixed.value if fixed is not None else None
    case.sla_unit = (fixed.unit or "") if fixed is not None else ""
    case.sla_text = (duration.text if duration is not None else "")[:300]


def case_recompute_due(
    *, case: Case, save: bool = True, duration: Duration | None = None, calendar=None
):
    """Recompute ``due_at`` from the original receipt, not counting paused time.

    Call it on a row locked in the caller's transaction (``select_for_update``), as the
    workflow, classification and the calendar recompute do: whichever of two writers comes
    second then reads the first one's result and the calendar as committed, so no update is
    lost. ``calendar``: the unit's :class:`~layanan.workdays.deadlines.Calendar` when the
    caller already built it (read after taking the lock). The calendar itself is held shared until
    the caller commits (``workdays/calendar_lock.py``), so a calendar change in flight either
    waits for this due time (and its recompute sees it) or is seen by it."""
    if duration is not None:
        case_set_duration(case, duration)
    if calendar is None:  # else the caller took the lock before building its calendar
        calendar_read_lock()  # no calendar change commits between this read and our commit
    duration = case.sla_duration()
    if duration is None:
        case.due_at = None
    elif case.paused_since is not None:
        pass  # clock stopped: keep the last due time until it runs again
    else:
        case.due_at = deadline(
            case.received_at,
            duration,
            unit=case.unit if calendar is None else None,
            paused=case.pause_intervals() if case.pk else (),  # a new case has no pauses yet
            calendar=calendar,
        )
    if save:
        case.save(update_fields=["due_at", "sla_value", "sla_unit", "sla_text", "updated_at"])
    return case.due_at
