"""Reads for facility requests, scoped to the units the user may see (``case.view``)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import CaseKind
from layanan.cases.selectors import visible_through_q

from .models import BookingDetail, BookingState, Resource, ResourceKind

if TYPE_CHECKING:
    from layanan.accounts.models import User
    from layanan.workdays.deadlines import Calendar

#: States shown on the calendar: what holds the slot, and what may soon.
CALENDAR_STATES = (BookingState.APPROVED, BookingState.REQUESTED)
LIST_PAGE_SIZE = 50


def resources_for(user: User) -> QuerySet[Resource]:
    """Resources of the units ``user`` may see cases of."""
    return (
        Resource.objects.filter(unit__in=visible_units(user, "case.view"))
        .select_related("unit")
        .order_by("unit__path", "kind", "name")
    )


def bookings_visible_to(user: User) -> QuerySet[BookingDetail]:
    """Facility requests ``user`` may see: the ``cases_visible_to`` rule (their units and below,
    plus what was handed to a division in their reach). The staff pages and the API read
    through it."""
    return BookingDetail.objects.filter(visible_through_q(user, "case__"))


def bookings_for(
    user: User, *, state: str = "", resource_id: int | None = None, upcoming: bool = False
) -> QuerySet[BookingDetail]:
    """Facility requests ``user`` may see, soonest first."""
    qs = (
        bookings_visible_to(user)
        .select_related("case", "case__unit", "resource", "decided_by")
        .order_by("starts_at", "pk")
    )
    if state:
        qs = qs.filter(state=state)
    if resource_id:
        qs = qs.filter(resource_id=resource_id)
    if upcoming:
        qs = qs.filter(ends_at__gt=timezone.now())
    return qs


def booking_for_staff(user: User, ref: str) -> BookingDetail | None:
    """The booking by case number (or case primary key), if ``user`` may see it."""
    lookup = Q(case__number=ref)
    if ref.isdigit():
        lookup |= Q(case__pk=int(ref))
    booking = (
        BookingDetail.objects.filter(lookup, case__kind=CaseKind.FACILITY)
        .select_related("case", "case__unit", "case__standard", "resource", "decided_by")
        .first()
    )
    if booking is None or not can(user, "case.view", booking.case):
        return None
    return booking


# --- the week calendar ---------------------------------------------------------------------------


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """Monday of the ISO week ``YYYY-Www`` (as ``<input type=week>`` sends it), else this week."""
    if value:
        try:
            year, week = value.upper().split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        except (ValueError, TypeError):
            pass
    return today - dt.timedelta(days=today.weekday())


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Slot:
    booking: BookingDetail
    start: dt.datetime  # clipped to the day, local
    end: dt.datetime
    continues_before: bool
    continues_after: bool


@dataclass
class CalendarRow:
    resource: Resource
    days: list[list[Slot]] = field(default_factory=list)


def week_calendar(
    user: User, monday: dt.date, *, resource_id: int | None = None
) -> list[CalendarRow]:
    """One row per resource, one cell per day of the week, with the approved and pending
    bookings overlapping that day (a booking over several days shows on each). Two queries."""
    tz = timezone.get_current_timezone()
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    bounds = [dt.datetime.combine(d, dt.time.min, tzinfo=tz) for d in days]
    bounds.append(bounds[-1] + dt.timedelta(days=1))
    resources = resources_for(user).filter(is_active=True)
    if resource_id:
        resources = resources_for(user).filter(pk=resource_id)
    rows = {r.pk: CalendarRow(resource=r, days=[[] for _ in days]) for r in resources}
    bookings = (
        BookingDetail.objects.filter(
            resource_id__in=list(rows),
            state__in=CALENDAR_STATES,
            starts_at__lt=bounds[-1],
            ends_at__gt=bounds[0],
        )
        .select_related("case")
        .order_by("starts_at", "pk")
    )
    for booking in bookings:
        start = timezone.localtime(booking.starts_at, tz)
        end = timezone.localtime(booking.ends_at, tz)
        for i in range(7):
            day_start, day_end = bounds[i], bounds[i + 1]
            if start < day_end and end > day_start:
                rows[booking.resource_id].days[i].append(
                    Slot(
                        booking=booking,
                        start=max(start, day_start),
                        end=min(end, day_end),
                        continues_before=start < day_start,
                        continues_after=end > day_end,
                    )
                )
    return list(rows.values())


# --- the public availability week ----------------------------------------------------------------
#
# What the public may know about a resource's week: when it is free, in use (an approved
# booking), requested (a request awaiting decision) or closed (outside office hours, weekends,
# holidays) — times only. The bookings are read as (resource, start, end, state) tuples, so no
# purpose, organiser, number or name ever reaches the page.

#: The order the public reads the kinds in: the big rooms first, equipment last.
PUBLIC_KIND_ORDER = (
    ResourceKind.HALL,
    ResourceKind.ROOM,
    ResourceKind.VEHICLE,
    ResourceKind.EQUIPMENT,
)
#: How far ahead the public week view goes (a request may be made up to a year ahead).
PUBLIC_WEEKS_AHEAD = 52
#: Free time that starts in the past starts at the next multiple of this many minutes from now.
FREE_FROM_STEP = 30


class Availability:
    """States of a stretch of time and the summaries of a day, as the public sees them."""

    FREE = "free"  # tersedia
    BOOKED = "booked"  # terpakai: an approved booking holds it
    PENDING = "pending"  # dipesan: a request awaits decision
    PARTLY = "partly"  # (a day) some office time is free, some is held
    CLOSED = "closed"  # (a day) the office is closed: weekend or holiday
    PAST = "past"  # (a day) over


#: Which state wins where bookings overlap: an approval over a request.
_RANK: dict[str, int] = {BookingState.APPROVED: 2, BookingState.REQUESTED: 1}
_STATE_OF_RANK = {2: Availability.BOOKED, 1: Availability.PENDING}


@dataclass(frozen=True)
class Stretch:
    """A piece of one day in one state (local datetimes of the office)."""

    start: dt.datetime
    end: dt.datetime
    state: str


@dataclass
class DayAvailability:
    date: dt.date
    summary: str
    holiday: str = ""
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    stretches: list[Stretch] = field(default_factory=list)


@dataclass
class ResourceWeek:
    resource: Resource
    days: list[DayAvailability]
    tz: dt.tzinfo


def public_resources() -> QuerySet[Resource]:
    """Resources the public may request (and see the week of), with their unit."""
    kind_order = models.Case(
        *(models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(PUBLIC_KIND_ORDER)),
        default=models.Value(len(PUBLIC_KIND_ORDER)),
    )
    return (
        Resource.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", kind_order, "name")
    )


def facility_contact_units() -> list:
    """Whom the public asks about facilities when none can be requested online: the units with
    a published facility standard (Biro Umum's *Fasilitasi Pengguna Sarana Prasarana Kantor*),
    else the top units of the organisation."""
    from layanan.catalog.models import ServiceKind, ServiceStandard
    from layanan.core.models import Unit

    units = list(
        Unit.objects.filter(
            pk__in=ServiceStandard.objects.published()
            .filter(service_kind=ServiceKind.FACILITY)
            .values("unit_id")
        ).order_by("path")
    )
    return units or list(Unit.objects.filter(parent__isnull=True).order_by("position", "name"))


def public_week_bounds(value: str | None, today: dt.date) -> dt.date:
    """Monday of the asked ISO week, kept between this week and ``PUBLIC_WEEKS_AHEAD`` weeks on
    (the past and the far future are not shown)."""
    this_monday = today - dt.timedelta(days=today.weekday())
    monday = parse_week(value, today)
    last = this_monday + dt.timedelta(weeks=PUBLIC_WEEKS_AHEAD)
    return min(max(monday, this_monday), last)


def public_week(
    resources: list[Resource], monday: dt.date, *, now: dt.datetime | None = None
) -> list[ResourceWeek]:
    """Each resource's seven days from ``monday``: the state of every stretch of office time
    and of any booking outside it. One query for the bookings of all resources, and the
    working-day calendar once per unit (its office hours, holidays and overrides: a few
    queries per unit, none per day or slot)."""
    from layanan.workdays.deadlines import Calendar

    now = now or timezone.now()
    calendars: dict[int, Calendar] = {}
    held: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = {r.pk: [] for r in resources}
    if resources:
        first = dt.datetime.combine(monday, dt.time.min, tzinfo=dt.UTC) - dt.timedelta(days=1)
        last = first + dt.timedelta(days=9)  # wide enough for every office zone
        rows = BookingDetail.objects.filter(
            resource_id__in=list(held),
            state__in=CALENDAR_STATES,
            starts_at__lt=last,
            ends_at__gt=first,
        ).values_list("resource_id", "starts_at", "ends_at", "state")
        for resource_id, starts_at, ends_at, state in rows:
            held[resource_id].append((starts_at, ends_at, _RANK[state]))
    weeks = []
    for resource in resources:
        calendar = calendars.get(resource.unit_id)
        if calendar is None:
            calendar = calendars[resource.unit_id] = Calendar.for_unit(resource.unit)
        days = [
            _day_availability(calendar, monday + dt.timedelta(days=i), held[resource.pk], now)
            for i in range(7)
        ]
        weeks.append(ResourceWeek(resource=resource, days=days, tz=calendar.tz))
    return weeks


def _day_availability(
    calendar: Calendar,
    day: dt.date,
    held: list[tuple[dt.datetime, dt.datetime, int]],
    now: dt.datetime,
) -> DayAvailability:
    info = calendar.day(day)
    day_start = calendar.at(day, dt.time.min)
    day_end = calendar.at(day + dt.timedelta(days=1), dt.time.min)
    window = (info.opens, info.closes) if info.opens and info.closes else None
    result = DayAvailability(date=day, summary="", holiday=info.holiday)
    if window:
        result.opens, result.closes = window
    over = day_end <= now if window is None else window[1] <= now
    if over:
        result.summary = Availability.PAST
        return result
    # Every moment where something starts or ends cuts the day; between two cuts the state is
    # the same throughout (the strongest booking covering it, else free inside office hours).
    pieces = [
        (max(start, day_start), min(end, day_end), rank)
        for start, end, rank in held
        if start < day_end and end > day_start
    ]
    cuts = {p for start, end, _rank in pieces for p in (start, end)}
    if window:
        cuts.update(window)
    result.stretches = _stretches(sorted(cuts), pieces, window, now, calendar.tz)
    result.summary = _summary({s.state for s in result.stretches}, window)
    return result


def _stretches(
    cuts: list[dt.datetime],
    pieces: list[tuple[dt.datetime, dt.datetime, int]],
    window: tuple[dt.datetime, dt.datetime] | None,
    now: dt.datetime,
    tz: dt.tzinfo,
) -> list[Stretch]:
    """The day between consecutive ``cuts`` as stretches of one state each (neighbours of the
    same state joined): the strongest booking covering it, else free inside office hours from
    the next bookable step on; outside office hours and held by nobody, nothing is shown."""
    stretches: list[Stretch] = []
    for a, b in itertools.pairwise(sorted(cuts)):
        rank = max((r for s, e, r in pieces if s <= a and e >= b), default=0)
        if rank:
            state = _STATE_OF_RANK[rank]
        elif window and window[0] <= a and b <= window[1]:
            state = Availability.FREE
            if b <= now:
                continue
            if a < now:
                a = _next_step(now.astimezone(tz))
                if a >= b:
                    continue
        else:
            continue  # outside office hours, nobody holds it: closed, not shown
        a, b = a.astimezone(tz), b.astimezone(tz)
        if stretches and stretches[-1].state == state and stretches[-1].end == a:
            stretches[-1] = Stretch(stretches[-1].start, b, state)
        else:
            stretches.append(Stretch(a, b, state))
    return stretches


def _summary(states: set[str], window: tuple[dt.datetime, dt.datetime] | None) -> str:
    """One word for the day from the states of its stretches."""
    if window is None:
        return Availability.CLOSED
    if states <= {Availability.FREE}:
        return Availability.FREE if states else Availability.PAST
    if Availability.FREE in states:
        return Availability.PARTLY
    if Availability.PENDING in states:
        return Availability.PENDING
    return Availability.BOOKED


def _next_step(moment: dt.datetime) -> dt.datetime:
    """``moment`` rounded up to the next multiple of ``FREE_FROM_STEP`` minutes."""
    base = moment.replace(second=0, microsecond=0)
    if base < moment:
        base += dt.timedelta(minutes=1)
    extra = -base.minute % FREE_FROM_STEP
    return base + dt.timedelta(minutes=extra)
