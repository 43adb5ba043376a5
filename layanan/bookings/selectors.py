"""Reads for facility requests, scoped to the units the user may see (``case.view``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import Case, CaseKind

from .models import BookingDetail, BookingState, Resource

#: States shown on the calendar: what holds the slot, and what may soon.
CALENDAR_STATES = (BookingState.APPROVED, BookingState.REQUESTED)
LIST_PAGE_SIZE = 50


def resources_for(user) -> QuerySet[Resource]:
    """Resources of the units ``user`` may see cases of."""
    return (
        Resource.objects.filter(unit__in=visible_units(user, "case.view"))
        .select_related("unit")
        .order_by("unit__path", "kind", "name")
    )


def bookings_for(user, *, state: str = "", resource_id: int | None = None, upcoming: bool = False):
    """Facility requests ``user`` may see, soonest first."""
    qs = (
        BookingDetail.objects.filter(case__unit__in=visible_units(user, "case.view"))
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


def booking_for_staff(user, ref: str) -> BookingDetail | None:
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


def case_events(case: Case):
    return case.events.select_related("actor").order_by("at", "pk")


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


def week_calendar(user, monday: dt.date, *, resource_id: int | None = None) -> list[CalendarRow]:
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
