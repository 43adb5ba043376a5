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

Run by ``manage.py send_reminders`` (cron, every 15 minutes) or the task
``layanan.bookings.tasks.send_reminders_task``.
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
from layanan.cases.events import case_event_record
from layanan.cases.models import OPEN_STATUSES, Case, Status
from layanan.cases.numbering import format_public_code
from layanan.workdays.deadlines import Calendar, format_due

from .audience_letters import format_schedule
from .audience_models import AudienceDetail
from .audience_services import letter_download_url, requester_message
from .audience_services import status_url as audience_status_url
from .models import BookingDetail, BookingState

logger = logging.getLogger("layanan.bookings")

#: how far ahead a sweep looks: past the longest run of closed days (Lebaran and its cuti
#: bersama, with the weekends around them)
LOOKAHEAD = dt.timedelta(days=21)
#: how far back the last working day may be before the day itself
MAX_CLOSED_DAYS = 60


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


# --- when ---------------------------------------------------------------------------------------


def working_day_before(day: dt.date, calendar: Calendar) -> dt.date:
    """The last working day strictly before ``day`` in ``calendar``."""
    for back in range(1, MAX_CLOSED_DAYS + 1):
        candidate = day - dt.timedelta(days=back)
        if calendar.is_working_day(candidate):
            return candidate
    raise ValueError(f"No working day in the {MAX_CLOSED_DAYS} days before {day}")


def reminder_due(starts_at: dt.datetime, calendar: Calendar) -> dt.datetime:
    """When the reminder of something starting at ``starts_at`` is due (aware)."""
    local_day = calendar.local(starts_at).date()
    day = working_day_before(local_day, calendar)
    return dt.datetime.combine(day, dt.time(settings.BOOKING_REMINDER_HOUR), tzinfo=calendar.tz)


def _sending_hours(now: dt.datetime, calendar: Calendar) -> bool:
    hour = calendar.local(now).hour
    return settings.BOOKING_REMINDER_HOUR <= hour < settings.BOOKING_REMINDER_QUIET_HOUR


# --- to whom, what ------------------------------------------------------------------------------


def _key(kind: str, case: Case, starts_at: dt.datetime, channel: str, recipient: str) -> str:
    start = starts_at.astimezone(dt.UTC)
    return f"reminder:{kind}:{case.pk}:{start:%Y%m%dT%H%MZ}:{channel}:{recipient}"


def _staff_message(user, *, subject: str, body: str, short: str) -> dict | None:
    """E-mail to a staff member, or WhatsApp when the account has only a telephone number."""
    if user is None or not user.is_active:
        return None
    if user.email:
        return {"channel": "email", "recipient": user.email, "subject": subject, "body": body}
    if getattr(user, "phone", "") and settings.WHATSAPP_ENABLED:
        return {"channel": "whatsapp", "recipient": user.phone, "subject": subject, "body": short}
    return None


def _footer(unit) -> list[str]:
    return [
        "",
        "—",
        _("This message was sent automatically by Layanan, %(unit)s. Please do not reply.")
        % {"unit": unit.name},
    ]


def audience_messages(detail: AudienceDetail) -> list[dict]:
    """The reminders of one scheduled audience: the requester and the receiving official."""
    case = detail.case
    unit = case.unit
    when = format_schedule(detail.schedule_starts_at, unit)
    code = format_public_code(case.public_code)
    subject = _("Reminder: your audience on %(when)s – %(code)s") % {"when": when, "code": code}
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": case.requester_name},
            "",
            _("This is a reminder of your audience with %(unit)s on “%(topic)s”.")
            % {"unit": unit.name, "topic": detail.topic},
            "",
            _("When: %(when)s") % {"when": when},
            _("Place: %(place)s") % {"place": detail.schedule_place},
            _("Received by: %(official)s") % {"official": detail.schedule_official},
            _("Participants: at most %(count)s") % {"count": detail.participants},
            "",
            _("Reply letter: %(number)s") % {"number": detail.reply_number},
            letter_download_url(case),
            _("If you cannot come, please tell %(unit)s, quoting %(number)s.")
            % {"unit": unit.name, "number": case.number},
            audience_status_url(case),
            *_footer(unit),
        ]
    )
    short = "\n".join(
        [
            _("Reminder: audience %(number)s with %(unit)s")
            % {"number": case.number, "unit": unit.name},
            _("When: %(when)s") % {"when": when},
            _("Place: %(place)s") % {"place": detail.schedule_place},
            audience_status_url(case),
        ]
    )
    messages = []
    requester = requester_message(case, subject=subject, body=body, short=short)
    if requester:
        messages.append(requester)
    official = detail.official_user or detail.scheduled_by
    staff_url = settings.SITE_URL + reverse("audience:detail", args=[case.number])
    staff_subject = _("Reminder: audience on %(when)s – %(organisation)s") % {
        "when": when,
        "organisation": detail.organisation,
    }
    staff_body = "\n".join(
        [
            _("An audience is scheduled for the next working day:"),
            "",
            _("When: %(when)s") % {"when": when},
            _("Place: %(place)s") % {"place": detail.schedule_place},
            _("Received by: %(official)s") % {"official": detail.schedule_official},
            _("Organisation: %(organisation)s") % {"organisation": detail.organisation},
            _("Topic: %(topic)s") % {"topic": detail.topic},
            _("Participants: at most %(count)s") % {"count": detail.participants},
            _("Request number: %(number)s") % {"number": case.number},
            staff_url,
            *_footer(unit),
        ]
    )
    staff = _staff_message(
        official, subject=staff_subject, body=staff_body, short=f"{staff_subject}\n{staff_url}"
    )
    if staff and staff["recipient"] not in {m["recipient"] for m in messages}:
        messages.append(staff)
    return messages


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
        *_footer(unit),
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
            *_footer(unit),
        ]
    )
    seen = {m["recipient"] for m in messages}
    for user in booking_staff(booking):
        staff = _staff_message(
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
    audiences = (
        AudienceDetail.objects.filter(
            case__status=Status.ANSWERED,
            schedule_starts_at__gt=now,
            schedule_starts_at__lte=until,
        )
        .exclude(reply_number="")
        .select_related("case", "case__unit", "official_user", "scheduled_by")
        .order_by("schedule_starts_at", "pk")
    )
    for detail in audiences:
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
        if now < reminder_due(starts_at, calendar) or not _sending_hours(now, calendar):
            continue
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                build = audience_messages if kind == "audience" else booking_messages
                messages = [
                    {
                        **m,
                        "dedupe_key": _key(kind, case, starts_at, m["channel"], m["recipient"]),
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
