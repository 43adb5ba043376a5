"""A unit's office hours (jam pelayanan) in words, for its public pages and its posters.

The week is the one deadlines count in (:meth:`Calendar.for_unit`: the unit's own ``OfficeHours``
rows, else its nearest ancestor's, else the system default), so what the public reads is what
the deadlines use. Consecutive days with the same hours are grouped and closed days left out:

    Senin–Kamis 07.30–16.00 WIB, Jumat 07.30–16.30 WIB

Day names follow the active language (Indonesian on the public site and on posters); times are
written ``07.30`` as Indonesian official texts do; the zone is the unit's abbreviation (WIB, WITA,
WIT), from its time zone's offset.

:func:`special_hours` lists the dated overrides (Ramadan hours, closures) in force or coming
soon, for the web pages only: a printed poster stays on the wall long after them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .deadlines import ZONES
from .models import OfficeHoursOverride, Weekday
from .office_calendar import DEFAULT_WEEK, Calendar, Hours, Week

#: How far ahead the public pages announce special hours.
SPECIAL_HOURS_DAYS_AHEAD = 30


@dataclass(frozen=True)
class HoursLine:
    """One group of days with the same hours: ``Senin–Kamis`` and ``07.30–16.00``."""

    days: str
    hours: str


@dataclass(frozen=True)
class WeeklyHours:
    lines: tuple[HoursLine, ...]
    zone: str  # WIB, WITA, WIT (or UTC+hh:mm elsewhere)

    def __str__(self) -> str:
        return ", ".join(f"{line.days} {line.hours} {self.zone}" for line in self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)


def zone_abbreviation(tz: dt.tzinfo | str, *, at: dt.datetime | None = None) -> str:
    """``WIB`` for Asia/Pontianak or Asia/Jakarta, ``WITA``, ``WIT``; ``UTC+hh:mm`` otherwise."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    moment = (at or timezone.now()).astimezone(zone)
    offset = int(moment.utcoffset().total_seconds())
    if offset in ZONES:
        return ZONES[offset]
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def format_span(opens: dt.time, closes: dt.time) -> str:
    return f"{opens:%H.%M}–{closes:%H.%M}"


def _day_names(first: int, last: int) -> str:
    if first == last:
        return str(Weekday(first).label)
    return f"{Weekday(first).label}–{Weekday(last).label}"


def group_week(week: Week) -> tuple[HoursLine, ...]:
    """Runs of consecutive weekdays (Monday first) with equal hours; closed days are left out."""
    lines: list[HoursLine] = []
    run_start: int | None = None
    run_hours: Hours | None = None
    for day in range(8):  # one past Sunday closes the last run
        hours = week.get(day) if day < 7 else None
        if run_start is not None and hours != run_hours:
            lines.append(HoursLine(_day_names(run_start, day - 1), format_span(*run_hours)))
            run_start = None
        if hours is not None and run_start is None:
            run_start, run_hours = day, hours
    return tuple(lines)


def _chain_pks(unit) -> list[int]:
    """The unit and its ancestors, nearest first, from its materialised path (no query)."""
    return [int(p) for p in reversed(unit.path.strip("/").split("/")) if p]


def weekly_hours(unit, *, calendar: Calendar | None = None) -> WeeklyHours:
    """The regular week of ``unit`` in words: the same week :meth:`Calendar.for_unit` counts in
    (the nearest unit of the chain with hours of its own, else the system default) and the
    nearest zone, read in one query (the units of the chain joined with their hours)."""
    if calendar is not None:
        return WeeklyHours(lines=group_week(calendar.week), zone=zone_abbreviation(calendar.tz))
    from layanan.core.models import Unit, organisation_time_zone

    chain = _chain_pks(unit)
    rows: dict[int, dict[int, Hours]] = {}
    zones: dict[int, str] = {}
    for pk, zone, weekday, opens, closes in Unit.objects.filter(pk__in=chain).values_list(
        "pk", "time_zone", "office_hours__weekday", "office_hours__opens", "office_hours__closes"
    ):
        zones[pk] = zone
        if weekday is not None:
            rows.setdefault(pk, {})[weekday] = (opens, closes)
    week: Week = DEFAULT_WEEK
    for pk in chain:
        if pk in rows:
            week = {d: rows[pk].get(d) for d in range(7)}
            break
    tz = next((zones[pk] for pk in chain if zones.get(pk)), "") or organisation_time_zone()
    return WeeklyHours(lines=group_week(week), zone=zone_abbreviation(tz))


@dataclass(frozen=True)
class SpecialHours:
    date_from: dt.date
    date_to: dt.date
    reason: str
    closed: bool
    hours: str  # "08.00–14.00", or "" when closed
    weekdays: str  # "Jumat", "" = every working day


def special_hours(unit, *, today: dt.date | None = None) -> list[SpecialHours]:
    """Overrides of ``unit``'s hours (its own, its ancestors', the global ones) in force today or
    starting in the next :data:`SPECIAL_HOURS_DAYS_AHEAD` days, soonest first. Hours an override
    leaves empty are the regular ones of that unit's week."""
    today = today or timezone.localdate()
    rows = OfficeHoursOverride.objects.overlapping(
        today, today + dt.timedelta(days=SPECIAL_HOURS_DAYS_AHEAD)
    ).filter(Q(unit__isnull=True) | Q(unit__in=_chain_pks(unit)))
    result = []
    for row in rows.order_by("date_from", "pk"):
        if row.closed:
            hours = ""
        elif row.opens and row.closes:
            hours = format_span(row.opens, row.closes)
        elif row.opens:
            hours = _("from %(time)s") % {"time": f"{row.opens:%H.%M}"}
        else:
            hours = _("until %(time)s") % {"time": f"{row.closes:%H.%M}"}
        days = sorted({int(d) for d in row.weekdays})
        result.append(
            SpecialHours(
                date_from=row.date_from,
                date_to=row.date_to,
                reason=row.reason,
                closed=row.closed,
                hours=hours,
                weekdays=", ".join(str(Weekday(d).label) for d in days),
            )
        )
    return result
