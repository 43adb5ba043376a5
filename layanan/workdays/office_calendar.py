"""The office calendar: for each date whether a unit's office is open and from when to when
(:class:`Calendar`), with the counting the deadline rules need — office time added across days,
working and calendar days counted, pauses left out. Built from explicit data (tests, what-if
questions) or from the tables with :meth:`Calendar.for_unit`, which reads holidays and overrides
one year at a time (one query per table per year, never one per day).

The rules themselves, and the functions the rest of the application calls, are in
:mod:`layanan.workdays.deadlines`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

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
        require_aware(moment)
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


# --- internals ------------------------------------------------------------------------------


def require_aware(moment: dt.datetime) -> None:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Naive datetime {moment.isoformat()}: deadlines need aware datetimes")


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
