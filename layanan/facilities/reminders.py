"""Reminders the working day before a scheduled audience or an approved facility booking.

**When.** The reminder of something starting on day *D* is due at ``BOOKING_REMINDER_HOUR``
(08:00 by default) in the *unit's* time zone on the last working day before *D* — the unit's
own calendar (``layanan/workdays``): weekends, national holidays, cuti bersama and the unit's
local closures are skipped, so a Monday audience is reminded on Friday, and one on Monday
28 December 2026 on Wednesday 23 December (25 December is Christmas, 24 December cuti bersama).
A sweep sends every reminder that is due and whose audience/booking has not started yet, but
only between ``BOOKING_REMINDER_HOUR`` and ``BOOKING_REMINDER_QUIET_HOUR`` (20:00) local time —
nobody is messaged at night; one missed overnight goes out the next morning if still ahead.

**What.** An audience qualifies once its reply letter is issued (status ``answered``: the
requester has the schedule); a facility booking once approved (its case still open).

**To whom.**

- the requester: by e-mail, or by WhatsApp (through the outbox) when only a telephone number
  was given and WhatsApp delivery is on;
- audience: the receiving official's account chosen with the schedule, else whoever scheduled
  it (who then tells the official);
- facility booking: the case's assignee and whoever approved the booking, else the heads of
  the resource's unit.

**Once.** Each message carries a dedupe key made of the kind, the case, the *start time* and
the recipient: the outbox keeps the first and drops repeats — however often, and however many
processes at once, the sweep runs. A rescheduled audience or booking has a new start time, so
it gets a new reminder. The case's timeline records (internally) that a reminder went out.

Where: the timing and the messages' common pieces are ``cases/reminders.py``, the audience's
messages ``audiences/reminders.py``; the facility booking's messages and the sweep over both
kinds are here.

Run by ``manage.py send_reminders`` (cron, every 15 minutes) or the task
``layanan.facilities.tasks.send_reminders_task``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM
from layanan.audiences.reminders import audience_messages, audiences_to_remind
from layanan.cases.events import case_event_record
from layanan.cases.models import OPEN_STATUSES, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.reminders import (
    LOOKAHEAD,
    footer,
    reminder_due,
    reminder_key,
    requester_message,
    sending_hours,
    staff_message,
)
from layanan.workdays.deadlines import Calendar, format_due

from .models import BookingDetail, BookingState

logger = logging.getLogger("layanan.facilities")


@dataclasses.dataclass
class ReminderReport:
    audiences: int = 0
    bookings: int = 0
    messages: int = 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.audiences} audience(s) and {self.bookings} booking(s) reminded, "
            f"{self.messages} message(s) queued"
        )


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
    """The reminders of one approved facility booking: the requester and the unit's staff."""
    case = booking.case
    resource = booking.resource
    unit = resource.unit
    when = _range(booking)
    code = format_public_code(case.public_code)
    status = settings.SITE_URL + reverse("bookings_public:status", kwargs={"code": code})
    subject = _("Reminder: %(resource)s booked for %(when)s – %(code)s") % {
        "resource": resource.name,
        "when": when,
        "code": code,
    }
    lines = [
        _("Dear %(name)s,") % {"name": case.requester_name},
        "",
        _("This is a reminder of your approved booking at %(unit)s.") % {"unit": unit.name},
        "",
        _("Facility: %(resource)s") % {"resource": resource.name},
        _("When: %(when)s") % {"when": when},
    ]
    if resource.location:
        lines.append(_("Place: %(place)s") % {"place": resource.location})
    if resource.rules:
        lines += ["", _("Rules of use:"), resource.rules]
    lines += [
        "",
        _("If you no longer need it, please cancel so others can use it:"),
        status,
        *footer(unit),
    ]
    short = "\n".join(
        [
            _("Reminder: %(resource)s booked for %(when)s")
            % {"resource": resource.name, "when": when},
            status,
        ]
    )
    messages = []
    requester = requester_message(case, subject=subject, body="\n".join(lines), short=short)
    if requester:
        messages.append(requester)
    staff_url = settings.SITE_URL + reverse("bookings:detail", args=[case.number])
    staff_subject = _("Reminder: %(resource)s is booked for %(when)s – %(organisation)s") % {
        "resource": resource.name,
        "when": when,
        "organisation": booking.organisation or case.requester_name,
    }
    staff_body = "\n".join(
        [
            _("A facility booking starts on the next working day; please have it ready:"),
            "",
            _("Facility: %(resource)s") % {"resource": resource.name},
            _("When: %(when)s") % {"when": when},
            _("Organisation: %(organisation)s")
            % {"organisation": booking.organisation or case.requester_name},
            _("Purpose: %(purpose)s") % {"purpose": booking.purpose},
            _("Request number: %(number)s") % {"number": case.number},
            staff_url,
            *footer(unit),
        ]
    )
    seen = {m["recipient"] for m in messages}
    for user in booking_staff(booking):
        staff = staff_message(
            user, subject=staff_subject, body=staff_body, short=f"{staff_subject}\n{staff_url}"
        )
        if staff and staff["recipient"] not in seen:
            seen.add(staff["recipient"])
            messages.append(staff)
    return messages


# --- the sweep ----------------------------------------------------------------------------------


def _due_items(now: dt.datetime):
    """(kind, case, starts_at, item) of every audience and booking that starts within the
    look-ahead; whether each is due is decided with its unit's calendar."""
    until = now + LOOKAHEAD
    for detail in audiences_to_remind(now, until):
        yield "audience", detail.case, detail.schedule_starts_at, detail
    bookings = (
        BookingDetail.objects.filter(
            state=BookingState.APPROVED,
            case__status__in=(*OPEN_STATUSES, Status.ANSWERED),
            starts_at__gt=now,
            starts_at__lte=until,
        )
        .select_related("case", "case__unit", "case__assignee", "resource__unit", "decided_by")
        .order_by("starts_at", "pk")
    )
    for booking in bookings:
        yield "booking", booking.case, booking.starts_at, booking


def send_reminders(*, now: dt.datetime | None = None) -> ReminderReport:
    """Queue every reminder that is due now (see the module's docstring). Idempotent."""
    from layanan.notify.services import outbox_enqueue_many

    now = now or timezone.now()
    report = ReminderReport()
    calendars: dict[int, Calendar] = {}
    for kind, case, starts_at, item in _due_items(now):
        unit = item.resource.unit if kind == "booking" else case.unit
        calendar = calendars.get(unit.pk)
        if calendar is None:
            calendar = calendars[unit.pk] = Calendar.for_unit(unit)
        if now < reminder_due(starts_at, calendar) or not sending_hours(now, calendar):
            continue
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                build = audience_messages if kind == "audience" else booking_messages
                messages = [
                    {
                        **m,
                        "dedupe_key": reminder_key(
                            kind, case, starts_at, m["channel"], m["recipient"]
                        ),
                        "case_id": case.pk,
                        "kind": f"{kind}.reminder",
                    }
                    for m in build(item)
                ]
                queued = [m for m in outbox_enqueue_many(messages) if m is not None]
                if queued:
                    case_event_record(
                        case=case,
                        actor=SYSTEM,
                        kind="reminder",
                        new=format_due(starts_at, unit=unit),
                        note=_("Reminder of the working day before sent (%(count)s message(s)).")
                        % {"count": len(queued)},
                        internal=True,
                    )
        except Exception:
            logger.exception("Could not queue the reminder of case %s", case.pk)
            continue
        if queued:
            report.messages += len(queued)
            if kind == "audience":
                report.audiences += 1
            else:
                report.bookings += 1
    return report
