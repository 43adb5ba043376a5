"""When a running case counts as *due soon*: the warning thresholds, in one place for the inbox
and the tracking page (``selectors.py``) and the SLA sweep that reminds the person in charge
(``sla.py``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from layanan.workdays.durations import DurationUnit

from .models import Case

#: Limits counted in these units get the short warning threshold.
SHORT_UNITS = (DurationUnit.MINUTES, DurationUnit.HOURS)


def warning_thresholds() -> tuple[dt.timedelta, dt.timedelta]:
    """(short, long): how long before its due time a case counts as due soon, for a limit in
    minutes or hours and for a longer one (``SLA_DUE_SOON_*_MINUTES``)."""
    return (
        dt.timedelta(minutes=settings.SLA_DUE_SOON_SHORT_MINUTES),
        dt.timedelta(minutes=settings.SLA_DUE_SOON_LONG_MINUTES),
    )


def within_warning_q(now: dt.datetime) -> Q:
    """Due time within the warning threshold of the case's kind of limit (or already past)."""
    short, long = warning_thresholds()
    return Q(sla_unit__in=SHORT_UNITS, due_at__lte=now + short) | (
        ~Q(sla_unit__in=SHORT_UNITS) & Q(due_at__lte=now + long)
    )


def within_warning(case: Case, now: dt.datetime) -> bool:
    """:func:`within_warning_q` for one loaded case."""
    short, long = warning_thresholds()
    if case.due_at is None:
        return False
    return case.due_at <= now + (short if case.sla_unit in SHORT_UNITS else long)
