"""Deadline math: when is something received at ``start`` with a given duration due?

Everything here is a pure function over a :class:`Calendar` (``office_calendar``, importable
from here as before), which knows for each date whether the office is open and from when to
when. A calendar is built either from explicit data (tests, what-if questions) or from the
database with :meth:`Calendar.for_unit`, which reads holidays and overrides one year at a time
(one query per table per year, never one per day). This module holds the functions the rest of
the application calls and how a due time is written for people (:func:`format_due`).

The rules (docs/deadlines.md has them with worked examples):

- ``minutes``/``hours`` run only inside office hours: from receipt if the office is open, else from
  the next opening; what does not fit before closing continues at the next opening.
- ``working_days``: day 1 is the first working day *after* the date of receipt (whatever the time
  of receipt); due at that day's closing time on day N.
- ``calendar_days``: due at closing time on the Nth calendar day after the date of receipt, or at
  the closing time of the next working day if that day is not one.
- Paused intervals (waiting on the requester) do not count: paused office time is added back for
  minutes/hours; a working day whose office hours a pause touches (resp. a calendar day a pause
  touches) is not counted for working/calendar days.

All datetimes are aware; results are in the office's time zone: :meth:`Calendar.for_unit` counts
in the unit's zone (its own, else its nearest ancestor's, else the organisation's default — see
``layanan.core.timezones``), so 16:00 at a WITA office is 16:00 WITA.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone

from .durations import Duration, DurationUnit
from .office_calendar import (
    DEFAULT_WEEK,
    Calendar,
    Day,
    Interval,
    NoOfficeHours,
    Override,
    YearData,
    require_aware,
)

__all__ = [
    "DEFAULT_WEEK",
    "Calendar",
    "Day",
    "NoOfficeHours",
    "Override",
    "YearData",
    "deadline",
    "format_day",
    "format_due",
    "is_working_day",
    "next_opening",
    "office_time_between",
    "whole_minute",
    "working_days_between",
]

# --- the public functions ---------------------------------------------------------------------


def deadline(
    start: dt.datetime,
    duration: Duration,
    *,
    unit=None,
    paused: Iterable[tuple[dt.datetime, dt.datetime | None]] | None = None,
    calendar: Calendar | None = None,
) -> dt.datetime | None:
    """When something received at ``start`` with ``duration`` is due (aware, office time zone).

    None when the duration has no value or no unit (descriptive, e.g. "Sesuai materi
    konsultasi"), and while a pause is still open (an interval whose end is None): the clock is
    stopped, so there is no due time yet. ``calendar`` wins over ``unit``.
    """
    if duration is None or duration.value is None or not duration.unit:
        return None
    require_aware(start)
    duration_unit = DurationUnit(duration.unit)
    value = duration.value
    if value < 0:
        raise ValueError(f"Negative duration: {duration!r}")
    pauses = _normalise_pauses(paused)
    if pauses is None:
        return None
    cal = calendar if calendar is not None else Calendar.for_unit(unit)
    if duration_unit == DurationUnit.MINUTES:
        due = cal.add_office_time(start, dt.timedelta(minutes=value), pauses)
    elif duration_unit == DurationUnit.HOURS:
        due = cal.add_office_time(start, dt.timedelta(hours=value), pauses)
    elif int(value) != value:
        raise ValueError(f"Days must be whole: {duration!r}")
    elif duration_unit == DurationUnit.WORKING_DAYS:
        due = cal.add_working_days(start, int(value), pauses)
    else:
        due = cal.add_calendar_days(start, int(value), pauses)
    return whole_minute(due)


def whole_minute(moment: dt.datetime) -> dt.datetime:
    """``moment`` rounded *up* to the next whole minute (unchanged when already whole).

    A deadline is a promise shown to the minute on every surface (pages, API, Open311,
    e-mails): storing seconds would make "16:00" on the page and "16:00:27.4" in the API two
    different instants. Rounding up never shortens the time the standard gives.
    """
    if moment.second == 0 and moment.microsecond == 0:
        return moment
    return moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def _calendar(unit, calendar: Calendar | None) -> Calendar:
    return calendar if calendar is not None else Calendar.for_unit(unit)


def is_working_day(day: dt.date, *, unit=None, calendar: Calendar | None = None) -> bool:
    """Whether the office is open at all on ``day``."""
    return _calendar(unit, calendar).is_working_day(day)


def next_opening(
    moment: dt.datetime, *, unit=None, calendar: Calendar | None = None
) -> dt.datetime:
    """The first instant at or after ``moment`` at which the office is open."""
    return _calendar(unit, calendar).next_opening(moment)


def working_days_between(
    a: dt.date | dt.datetime,
    b: dt.date | dt.datetime,
    *,
    unit=None,
    calendar: Calendar | None = None,
) -> int:
    """Working days d with a < d ≤ b."""
    return _calendar(unit, calendar).working_days_between(a, b)


def office_time_between(
    a: dt.datetime, b: dt.datetime, *, unit=None, calendar: Calendar | None = None
) -> dt.timedelta:
    """Office time in [a, b): e.g. time to first response, in office time."""
    return _calendar(unit, calendar).office_time_between(a, b)


# Indonesian names, written out (format_due is Indonesian whatever the active language: it is the
# wording of letters and notifications to citizens).
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZONES = {7 * 3600: "WIB", 8 * 3600: "WITA", 9 * 3600: "WIT"}


def format_day(day: dt.date) -> str:
    """``"4 Januari 2027"``: a date in Indonesian words (timeline notes and messages)."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def format_due(moment: dt.datetime, tz: dt.tzinfo | str | None = None, *, unit=None) -> str:
    """``"Senin, 23 Maret 2026 pukul 16.00 WIB"``, in ``tz``, else in ``unit``'s zone, else in
    the current time zone (in a request: the organisation's default, or the unit's where a
    view activated it)."""
    require_aware(moment)
    if tz is None and unit is not None:
        tz = unit.time_zone_name()
    if tz is None:
        tz = timezone.get_current_timezone()
    local = moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    offset = int(local.utcoffset().total_seconds())
    zone = ZONES.get(offset)
    if zone is None:
        sign = "+" if offset >= 0 else "-"
        hours, minutes = divmod(abs(offset) // 60, 60)
        zone = f"UTC{sign}{hours:02d}:{minutes:02d}"
    return (
        f"{HARI[local.weekday()]}, {local.day} {BULAN[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} {zone}"
    )


# --- internals ------------------------------------------------------------------------------


def _normalise_pauses(
    paused: Iterable[tuple[dt.datetime, dt.datetime | None]] | None,
) -> list[Interval] | None:
    """Sorted, merged, non-empty intervals; None when a pause is still open."""
    intervals: list[Interval] = []
    for begin, end in paused or ():
        if end is None:
            return None
        require_aware(begin)
        require_aware(end)
        if end < begin:
            raise ValueError(
                f"Pause ends before it begins: {begin.isoformat()} – {end.isoformat()}"
            )
        if end > begin:
            intervals.append((begin, end))
    intervals.sort()
    merged: list[Interval] = []
    for begin, end in intervals:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged
