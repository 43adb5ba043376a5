"""The reminders of an approved facility booking, the working day before (``cases/reminders.py``
says when, and its sweep walks :data:`BOOKING_REMINDERS` with the other kinds of
``settings.REMINDER_KINDS``). A booking qualifies once approved (its case still open); the
reminders go to

- the requester: by e-mail, or by WhatsApp (through the outbox) when only a telephone number
  was given and WhatsApp delivery is on;
- the case's assignee and whoever approved the booking, else the heads of the resource's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from layanan.cases.models import OPEN_STATUSES, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import public_status_url
from layanan.cases.reminders import Due, ReminderKind, reminder_messages
from layanan.workdays.deadlines import format_due

from .models import BookingDetail, BookingState
from .notifications import TEMPLATES

# --- to whom, what ------------------------------------------------------------------------------


def _range(booking: BookingDetail) -> str:
    unit = booking.resource.unit
    start = format_due(booking.starts_at, unit=unit)
    end = format_due(booking.ends_at, unit=unit)
    same_day = start.split(" pukul ")[0] == end.split(" pukul ")[0]
    return f"{start} – {end.split(' pukul ')[1]}" if same_day else f"{start} – {end}"


def booking_staff(booking: BookingDetail) -> list:
    """Who looks after an approved booking: the case's assignee and whoever approved it, else
    the heads of the resource's unit."""
    from layanan.accounts.models import Membership, Role

    people = [u for u in (booking.case.assignee, booking.decided_by) if u is not None]
    if not people:
        people = [
            m.user
            for m in Membership.objects.filter(
                unit=booking.resource.unit, role=Role.HEAD, user__is_active=True
            ).select_related("user")
        ]
    unique = {}
    for user in people:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def booking_messages(booking: BookingDetail) -> list[dict]:
    """The reminders of one approved facility booking: the requester and the unit's staff,
    worded by ``templates/facilities/notifications/reminder*.txt``."""
    case = booking.case
    resource = booking.resource
    code = format_public_code(case.public_code)
    context = {
        "name": case.requester_name,
        "unit": resource.unit.name,
        "resource": resource.name,
        "when": _range(booking),
        "place": resource.location,
        "rules": resource.rules,
        "organisation": booking.organisation or case.requester_name,
        "purpose": booking.purpose,
        "code": code,
        "number": case.number,
        "status_url": public_status_url(case),
        "staff_url": settings.SITE_URL + reverse("bookings:detail", args=[case.number]),
    }
    return reminder_messages(
        case, templates=TEMPLATES, context=context, staff=booking_staff(booking)
    )


# --- what is due -------------------------------------------------------------------------------


def bookings_to_remind(now: dt.datetime, until: dt.datetime) -> QuerySet[BookingDetail]:
    """The approved bookings, their case still open, that start after ``now`` and by
    ``until``, soonest first."""
    return (
        BookingDetail.objects.filter(
            state=BookingState.APPROVED,
            case__status__in=(*OPEN_STATUSES, Status.ANSWERED),
            starts_at__gt=now,
            starts_at__lte=until,
        )
        .select_related("case", "case__unit", "case__assignee", "resource__unit", "decided_by")
        .order_by("starts_at", "pk")
    )


def bookings_due(now: dt.datetime, until: dt.datetime) -> Iterator[Due]:
    """:func:`bookings_to_remind` for the sweep (the resource's unit's calendar)."""
    for booking in bookings_to_remind(now, until):
        yield Due(
            case=booking.case, starts_at=booking.starts_at, unit=booking.resource.unit, item=booking
        )


#: the bookings' part of the reminder sweep (``settings.REMINDER_KINDS``)
BOOKING_REMINDERS = ReminderKind(
    name="booking", plural="bookings", find=bookings_due, messages=booking_messages
)
