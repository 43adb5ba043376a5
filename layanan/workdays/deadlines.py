"""Deadline math: when is something received at ``start`` with a given duration due?

Everything here is a pure function over a :class:`Calendar`, which knows for each date whether the
office is open and from when to when. A calendar is built either from explicit data (tests, what-if
questions) or from the database with :meth:`Calendar.for_unit`, which reads holidays and overrides
one year at a time (one query per table per year, never one per day).

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .durations import Duration, DurationUnit

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

Hours = tuple[dt.time, dt.time]
Week = Mapping[int, Hours | None]
Interval = tuple[dt.datetime, dt.datetime]

#: The system default when neither a unit nor any of its ancestors has office hours.
DEFAULT_WEEK: dict[int, Hours | None] = {
    0: (dt.time(7, 30), dt.time(16, 0)),
    1: (dt.time(7, 30), dt.time(16, 0)),
    2: (dt.time(7, 30), dt.time(16, 0)),
    3: (dt.time(7, 30), dt.time(16, 0)),
    4: (dt.time(7, 30), dt.time(16, 30)),
    5: None,
    6: None,
}

#: How many consecutive closed days we accept before deciding the calendar never opens.
MAX_CLOSED_RUN = 400

GLOBAL_RANK = 10_000  # rank of an override that applies to every unit (lower rank wins)


class NoOfficeHours(ValueError):
    """The calendar has no working day in a long stretch: the data is wrong (e.g. no hours)."""


@dataclass(frozen=True)
class Override:
    """Different hours (or a closure) on working days from ``date_from`` to ``date_to``.

    ``rank`` orders overrides of different scope: 0 = the unit itself, 1 = its parent, …,
    ``GLOBAL_RANK`` = every unit. Lower rank wins; at equal rank the later ``date_from`` (the more
    specific one inside a longer range) wins, then the higher ``order`` (newer row).
    """

    date_from: dt.date
    date_to: dt.date
    opens: dt.time | None = None
    closes: dt.time | None = None
    closed: bool = False
    weekdays: frozenset[int] | str = ""
    reason: str = ""
    rank: int = 0
    order: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.weekdays, str):
            object.__setattr__(self, "weekdays", frozenset(int(c) for c in self.weekdays))

    def applies(self, day: dt.date) -> bool:
        return self.date_from <= day <= self.date_to and (
            not self.weekdays or day.weekday() in self.weekdays
        )

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.rank, -self.date_from.toordinal(), -self.order)


@dataclass(frozen=True)
class YearData:
    """What a loader returns for one year."""

    holidays: Mapping[dt.date, tuple[str, str]] = field(default_factory=dict)
    overrides: Sequence[Override] = ()
    has_holiday_rows: bool = True


@dataclass(frozen=True)
class Day:
    """One date as the office sees it. ``opens``/``closes`` are aware datetimes, or None."""

    date: dt.date
    opens: dt.datetime | None
    closes: dt.datetime | None
    holiday: str = ""
    holiday_kind: str = ""
    override: Override | None = None
    regular: Hours | None = None

    @property
    def is_working_day(self) -> bool:
        return self.opens is not None


class Calendar:
    """Office days and hours for one unit.

    ``holidays``: dates (or a mapping date → name, or date → (name, kind)) on which the office is
    closed. ``week``: weekday (0 = Monday) → (opens, closes) or None for closed; defaults to
    :data:`DEFAULT_WEEK`. ``overrides``: :class:`Override` objects. ``loader``: called once per
    year with the year, returns :class:`YearData` (used by :meth:`for_unit`).
    """

    def __init__(
        self,
        *,
        holidays: Mapping[dt.date, str | tuple[str, str]] | Iterable[dt.date] = (),
        week: Week | None = None,
        overrides: Iterable[Override] = (),
        tz: dt.tzinfo | str | None = None,
        loader: Callable[[int], YearData] | None = None,
    ) -> None:
        if tz is None:
            tz = settings.TIME_ZONE
        self.tz: dt.tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.week: dict[int, Hours | None] = dict(DEFAULT_WEEK if week is None else week)
        for weekday in range(7):
            self.week.setdefault(weekday, None)
        self._holidays: dict[dt.date, tuple[str, str]] = {}
        if isinstance(holidays, Mapping):
            for day, value in holidays.items():
                self._holidays[day] = (
                    (value, "national_holiday") if isinstance(value, str) else value
                )
        else:
            for day in holidays:
                self._holidays[day] = ("", "national_holiday")
        self._overrides: list[Override] = sorted(overrides, key=lambda o: o.sort_key)
        self._loader = loader
        self._loaded_years: set[int] = set()
        self._days: dict[dt.date, Day] = {}
        #: Years the loader found no holiday rows for (the table was never synced for them).
        self.years_without_holidays: set[int] = set()
        #: The unit whose office hours are used (:meth:`for_unit`); None = the system default.
        self.week_source = None

    # --- construction from the database ----------------------------------------------------

    @classmethod
    def for_unit(cls, unit=None, *, tz: dt.tzinfo | str | None = None) -> Calendar:
        """The calendar of ``unit`` (or of the system default when None), read from the tables.

        Counts in the unit's time zone (nearest ancestor with one, else the organisation's
        default) unless ``tz`` is given. Costs two queries up front (the unit's ancestors and
        their office hours), then two per year touched (holidays — the national ones and the
        local ones of the unit and its ancestors, in one query — and overrides).
        """
        from layanan.core.models import nearest_time_zone

        from .models import Holiday, OfficeHours, OfficeHoursOverride

        chain: list = []  # nearest first: the unit, its parent, …, the root
        if unit is not None and unit.pk is not None:
            chain = list(reversed(unit.ancestors(include_self=True)))
        rank_of = {u.pk: rank for rank, u in enumerate(chain)}
        week: dict[int, Hours | None] | None = None
        week_source = None
        if chain:
            rows_by_unit: dict[int, dict[int, Hours]] = {}
            for row in OfficeHours.objects.filter(unit__in=list(rank_of)):
                rows_by_unit.setdefault(row.unit_id, {})[row.weekday] = (row.opens, row.closes)
            for u in chain:
                if u.pk in rows_by_unit:
                    week = {d: rows_by_unit[u.pk].get(d) for d in range(7)}
                    week_source = u
                    break

        def loader(year: int) -> YearData:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            # National rows and the local ones of the unit's ancestors-or-self: one query.
            rows = list(
                Holiday.objects.in_year(year)
                .for_units(rank_of)
                .values_list("date", "name", "kind", "cancelled", "unit_id")
            )
            holidays: dict[dt.date, tuple[str, str]] = {}
            for d, name, kind, cancelled, _unit in sorted(rows, key=_national_first):
                if not cancelled:
                    holidays.setdefault(d, (name, kind))
            national_rows = any(row[4] is None for row in rows)
            overrides = []
            query = OfficeHoursOverride.objects.overlapping(first, last)
            for o in query.filter(unit__isnull=True) | query.filter(unit__in=list(rank_of)):
                overrides.append(
                    Override(
                        date_from=o.date_from,
                        date_to=o.date_to,
                        opens=o.opens,
                        closes=o.closes,
                        closed=o.closed,
                        weekdays=o.weekdays,
                        reason=o.reason,
                        rank=GLOBAL_RANK if o.unit_id is None else rank_of[o.unit_id],
                        order=o.pk,
                    )
                )
            return YearData(holidays=holidays, overrides=overrides, has_holiday_rows=national_rows)

        if tz is None:
            tz = nearest_time_zone(chain)
        calendar = cls(week=week, tz=tz, loader=loader)
        calendar.week_source = week_source
        return calendar

    def _ensure_year(self, year: int) -> None:
        if self._loader is None or year in self._loaded_years:
            return
        self._loaded_years.add(year)
        data = self._loader(year)
        if not data.has_holiday_rows:
            self.years_without_holidays.add(year)
        for day, value in data.holidays.items():
            self._holidays.setdefault(day, value)
        known = {(o.order, o.rank, o.date_from, o.date_to) for o in self._overrides}
        new = [o for o in data.overrides if (o.order, o.rank, o.date_from, o.date_to) not in known]
        if new:
            # Days of this year are computed only after this point, so the cache stays valid.
            self._overrides = sorted([*self._overrides, *new], key=lambda o: o.sort_key)

    # --- days -------------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        _require_aware(moment)
        return moment.astimezone(self.tz)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def day(self, day: dt.date) -> Day:
        """Everything about one date (cached)."""
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        cached = self._days.get(day)
        if cached is not None:
            return cached
        self._ensure_year(day.year)
        regular = self.week.get(day.weekday())
        is_holiday = day in self._holidays
        name, kind = self._holidays.get(day, ("", ""))
        override = None
        hours: Hours | None = None
        if regular is not None and not is_holiday:
            override = next((o for o in self._overrides if o.applies(day)), None)
            if override is None:
                hours = regular
            elif not override.closed:
                opens = override.opens or regular[0]
                closes = override.closes or regular[1]
                hours = (opens, closes) if closes > opens else None
        result = Day(
            date=day,
            opens=self.at(day, hours[0]) if hours else None,
            closes=self.at(day, hours[1]) if hours else None,
            holiday=name,
            holiday_kind=kind,
            override=override,
            regular=regular,
        )
        self._days[day] = result
        return result

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).is_working_day

    def hours(self, day: dt.date) -> Interval | None:
        """Opening and closing time on ``day`` (aware), or None when the office is closed."""
        info = self.day(day)
        return (info.opens, info.closes) if info.opens is not None else None

    def working_days_after(self, day: dt.date) -> Iterator[Day]:
        """Working days strictly after ``day``, in order (endless)."""
        closed_run = 0
        while True:
            day += dt.timedelta(days=1)
            info = self.day(day)
            if info.is_working_day:
                closed_run = 0
                yield info
            else:
                closed_run += 1
                if closed_run > MAX_CLOSED_RUN:
                    raise NoOfficeHours(f"No working day in the {MAX_CLOSED_RUN} days after {day}")

    def office_intervals(
        self, start: dt.datetime, until: dt.datetime | None = None
    ) -> Iterator[Interval]:
        """Office hours from ``start`` on (the first one clipped to start), up to ``until``."""
        start = self.local(start)
        end = self.local(until) if until is not None else None
        day = start.date()
        closed_run = 0
        while end is None or day <= end.date():
            hours = self.hours(day)
            if hours is not None:
                closed_run = 0
                opens, closes = max(hours[0], start), hours[1]
                if end is not None:
                    closes = min(closes, end)
                if closes > opens:
                    yield opens, closes
            else:
                closed_run += 1
                if end is None and closed_run > MAX_CLOSED_RUN:
                    raise NoOfficeHours(
                        f"No working day in the {MAX_CLOSED_RUN} days after {start}"
                    )
            day += dt.timedelta(days=1)

    # --- helpers ----------------------------------------------------------------------------

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """The first instant at or after ``moment`` at which the office is open.

        ``moment`` itself when the office is open then; office hours are half-open, so at
        closing time exactly the answer is the next opening.
        """
        return next(self.office_intervals(moment))[0]

    def office_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Office time in [a, b) (zero when b ≤ a)."""
        total = dt.timedelta(0)
        if self.local(b) <= self.local(a):
            return total
        for opens, closes in self.office_intervals(a, until=b):
            total += closes - opens
        return total

    def working_days_between(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
        """Working days d with a < d ≤ b (dates; datetimes count by their local date).

        So a deadline of N working days received on date a falls on the date b with
        ``working_days_between(a, b) == N``. Negative when b is before a.
        """
        a, b = self._date(a), self._date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def _date(self, value: dt.date | dt.datetime) -> dt.date:
        return self.local(value).date() if isinstance(value, dt.datetime) else value

    # --- deadline arithmetic ----------------------------------------------------------------

    def add_office_time(
        self, start: dt.datetime, amount: dt.timedelta, paused: Sequence[Interval] = ()
    ) -> dt.datetime:
        """The instant at which ``amount`` of unpaused office time after ``start`` has run."""
        remaining = amount
        for opens, closes in self.office_intervals(start):
            for piece_start, piece_end in _subtract(opens, closes, paused):
                length = piece_end - piece_start
                if remaining <= length:
                    return piece_start + remaining
                remaining -= length
        raise AssertionError("unreachable: office_intervals is endless")  # pragma: no cover

    def add_working_days(
        self, start: dt.datetime, days: int, paused: Sequence[Interval] = ()
    ) -> dt.datetime:
        """Closing time of the Nth working day after the date of ``start``, skipping days whose
        office hours a pause touches."""
        if days == 0:
            return self._next_closing(start, paused)
        count = 0
        for info in self.working_days_after(self.local(start).date()):
            if _touches(info.opens, info.closes, paused):
                continue
            count += 1
            if count == days:
                return info.closes
        raise AssertionError("unreachable")  # pragma: no cover

    def add_calendar_days(
        self, start: dt.datetime, days: int, paused: Sequence[Interval] = ()
    ) -> dt.datetime:
        """Closing time on the Nth calendar day after the date of ``start`` (days a pause touches
        do not count), moved to the next working day not touched by a pause if needed."""
        if days == 0:
            return self._next_closing(start, paused)
        day = self.local(start).date()
        count = 0
        while count < days:
            day += dt.timedelta(days=1)
            midnight = self.at(day, dt.time(0))
            if not _touches(midnight, self.at(day + dt.timedelta(days=1), dt.time(0)), paused):
                count += 1
        info = self.day(day)
        if info.is_working_day and not _touches(info.opens, info.closes, paused):
            return info.closes
        for info in self.working_days_after(day):
            if not _touches(info.opens, info.closes, paused):
                return info.closes
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_closing(self, start: dt.datetime, paused: Sequence[Interval]) -> dt.datetime:
        """Zero days: the end of the office day in which (or after which) the thing arrived."""
        start = self.local(start)
        info = self.day(start.date())
        if info.is_working_day and start < info.closes and not _touches(start, info.closes, paused):
            return info.closes
        for info in self.working_days_after(start.date()):
            if not _touches(info.opens, info.closes, paused):
                return info.closes
        raise AssertionError("unreachable")  # pragma: no cover


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
    _require_aware(start)
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
    _require_aware(moment)
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


def _require_aware(moment: dt.datetime) -> None:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Naive datetime {moment.isoformat()}: deadlines need aware datetimes")


def _normalise_pauses(
    paused: Iterable[tuple[dt.datetime, dt.datetime | None]] | None,
) -> list[Interval] | None:
    """Sorted, merged, non-empty intervals; None when a pause is still open."""
    intervals: list[Interval] = []
    for begin, end in paused or ():
        if end is None:
            return None
        _require_aware(begin)
        _require_aware(end)
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


def _national_first(row: tuple) -> tuple:
    """Order holiday rows (date, name, kind, cancelled, unit_id) by date, national rows first:
    on a date that is both, the calendar shows the national holiday's name."""
    return (row[0], row[4] is not None)


def _touches(begin: dt.datetime, end: dt.datetime, paused: Sequence[Interval]) -> bool:
    """Whether a pause overlaps [begin, end) for a positive length of time."""
    return any(p_begin < end and p_end > begin for p_begin, p_end in paused)


def _subtract(begin: dt.datetime, end: dt.datetime, paused: Sequence[Interval]) -> list[Interval]:
    """[begin, end) minus the (sorted, merged) paused intervals."""
    pieces: list[Interval] = []
    cursor = begin
    for p_begin, p_end in paused:
        if p_end <= cursor or p_begin >= end:
            continue
        if p_begin > cursor:
            pieces.append((cursor, p_begin))
        cursor = max(cursor, p_end)
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    return pieces
