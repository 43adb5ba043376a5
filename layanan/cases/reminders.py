"""The reminders the working day before something scheduled — an audience, a facility booking
(``audiences/reminders.py``, ``facilities/reminders.py``, swept together by
``facilities.reminders.send_reminders``): when one is due, and the pieces of its messages.

**When.** The reminder of something starting on day *D* is due at ``BOOKING_REMINDER_HOUR``
(08:00 by default) in the *unit's* time zone on the last working day before *D* — the unit's
own calendar (``layanan/workdays``). It goes out only between ``BOOKING_REMINDER_HOUR`` and
``BOOKING_REMINDER_QUIET_HOUR`` (20:00) local time.

**Once.** Each message carries a dedupe key made of the kind, the case, the *start time*, the
channel and the recipient (``reminder_key``): the outbox keeps the first and drops repeats.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from .notifications import requester_message  # noqa: F401 (the reminders' senders use it)

if TYPE_CHECKING:
    from layanan.workdays.deadlines import Calendar

    from .models import Case

#: how far ahead a sweep looks: past the longest run of closed days (Lebaran and its cuti
#: bersama, with the weekends around them)
LOOKAHEAD = dt.timedelta(days=21)
#: how far back the last working day may be before the day itself
MAX_CLOSED_DAYS = 60


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


def sending_hours(now: dt.datetime, calendar: Calendar) -> bool:
    hour = calendar.local(now).hour
    return settings.BOOKING_REMINDER_HOUR <= hour < settings.BOOKING_REMINDER_QUIET_HOUR


def reminder_key(
    kind: str, case: Case, starts_at: dt.datetime, channel: str, recipient: str
) -> str:
    start = starts_at.astimezone(dt.UTC)
    return f"reminder:{kind}:{case.pk}:{start:%Y%m%dT%H%MZ}:{channel}:{recipient}"


def staff_message(user, *, subject: str, body: str, short: str) -> dict | None:
    """E-mail to a staff member, or WhatsApp when the account has only a telephone number."""
    if user is None or not user.is_active:
        return None
    if user.email:
        return {"channel": "email", "recipient": user.email, "subject": subject, "body": body}
    if getattr(user, "phone", "") and settings.WHATSAPP_ENABLED:
        return {"channel": "whatsapp", "recipient": user.phone, "subject": subject, "body": short}
    return None


def footer(unit) -> list[str]:
    return [
        "",
        "—",
        _("This message was sent automatically by Layanan, %(unit)s. Please do not reply.")
        % {"unit": unit.name},
    ]
