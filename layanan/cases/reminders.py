"""Reminders the working day before something scheduled — an audience, a facility booking:
when one is due, how a staff member is reached, and the sweep that queues them.

**When.** The reminder of something starting on day *D* is due at ``BOOKING_REMINDER_HOUR``
(08:00 by default) in the *unit's* time zone on the last working day before *D* — the unit's
own calendar (``layanan/workdays``): weekends, national holidays, cuti bersama and the unit's
local closures are skipped, so a Monday audience is reminded on Friday, and one on Monday
28 December 2026 on Wednesday 23 December (25 December is Christmas, 24 December cuti bersama).
A sweep sends every reminder that is due and whose audience/booking has not started yet, but
only between ``BOOKING_REMINDER_HOUR`` and ``BOOKING_REMINDER_QUIET_HOUR`` (20:00) local time —
nobody is messaged at night; one missed overnight goes out the next morning if still ahead.

**What, to whom.** Each kind of scheduled thing says it: a :class:`ReminderKind` pairs the
finder of what starts within the look-ahead with the builder of its messages —
``audiences/reminders.py::AUDIENCE_REMINDERS`` (an audience once its reply letter is issued; the
requester and the receiving official), ``facilities/reminders.py::BOOKING_REMINDERS`` (a
facility booking once approved; the requester and the unit's staff). The kinds swept are named,
in order, by the setting ``REMINDER_KINDS`` (dotted paths): an explicit list rather than
registration in each ``AppConfig.ready()``, so the order of the sweep — audiences, then
bookings, as the outbox and the timelines have always had it — does not follow the order of
``INSTALLED_APPS``, and this module imports neither app. The words are each app's text
templates (``templates/<app>/notifications/reminder*.txt``), which end with the shared
``cases/notifications/footer.txt``.

**Once.** Each message carries a dedupe key made of the kind, the case, the *start time*, the
channel and the recipient (``reminder_key``): the outbox keeps the first and drops repeats —
however often, and however many processes at once, the sweep runs. A rescheduled audience or
booking has a new start time, so it gets a new reminder. The case's timeline records
(internally) that a reminder went out.

Run by ``manage.py send_reminders`` (cron, every 15 minutes) or the task
``layanan.cases.tasks.send_reminders_task``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM
from layanan.workdays.deadlines import Calendar, format_due

from .events import case_event_record
from .notifications import render_text, requester_message

if TYPE_CHECKING:
    from layanan.core.models import Unit

    from .models import Case

logger = logging.getLogger("layanan.cases")

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


def reminder_messages(
    case: Case, *, templates: str, context: dict, staff: Iterable[Any]
) -> list[dict]:
    """The reminders of one case, worded by ``templates``' ``reminder*.txt`` with ``context``
    (which holds ``staff_url``): the requester first (:func:`requester_message`), then each of
    ``staff`` (:func:`staff_message`; None skipped) not already written to."""

    def render(name: str) -> str:
        return render_text(f"{templates}/{name}", context)

    messages = []
    requester = requester_message(
        case,
        subject=render("reminder.subject.txt"),
        body=render("reminder.txt"),
        short=render("reminder_whatsapp.txt"),
    )
    if requester:
        messages.append(requester)
    subject, body = render("reminder_staff.subject.txt"), render("reminder_staff.txt")
    seen = {m["recipient"] for m in messages}
    for user in staff:
        message = staff_message(
            user, subject=subject, body=body, short=f"{subject}\n{context['staff_url']}"
        )
        if message and message["recipient"] not in seen:
            seen.add(message["recipient"])
            messages.append(message)
    return messages


# --- the kinds and the sweep ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Due:
    """Something that starts within the look-ahead: whether its reminder is due is decided with
    ``unit``'s calendar."""

    case: Case
    starts_at: dt.datetime
    #: whose calendar and time zone (a booking's: its resource's unit)
    unit: Unit
    #: what the kind's ``messages`` builds the reminders of (its detail)
    item: Any


@dataclasses.dataclass(frozen=True)
class ReminderKind:
    """One kind of scheduled thing the sweep reminds of."""

    #: ``"audience"``: in the dedupe key, the outbox kind (``audience.reminder``) and the report
    name: str
    #: ``"audiences"``: the report's count of them
    plural: str
    #: ``find(now, until)``: what starts after ``now`` and by ``until``, in sending order
    find: Callable[[dt.datetime, dt.datetime], Iterable[Due]]
    #: ``messages(item)``: the outbox messages (``channel``, ``recipient``, ``subject``,
    #: ``body``) of one reminder
    messages: Callable[[Any], list[dict]]


def reminder_kinds() -> list[ReminderKind]:
    """The kinds of ``settings.REMINDER_KINDS``, in its order (see the module's docstring)."""
    return [import_string(path) for path in settings.REMINDER_KINDS]


@dataclasses.dataclass
class ReminderReport:
    """How many of each kind were reminded (by plural: ``report.audiences``), and messages."""

    reminded: dict[str, int] = dataclasses.field(default_factory=dict)
    messages: int = 0
    #: the kinds' singular names, for :meth:`__str__`
    names: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, kinds: Iterable[ReminderKind]) -> ReminderReport:
        kinds = list(kinds)
        return cls(reminded={k.plural: 0 for k in kinds}, names={k.plural: k.name for k in kinds})

    def __getattr__(self, name: str) -> int:
        reminded = self.__dict__.get("reminded", {})
        if name in reminded:
            return reminded[name]
        raise AttributeError(name)

    def as_dict(self) -> dict:
        return {**self.reminded, "messages": self.messages}

    def __str__(self) -> str:
        counts = " and ".join(
            f"{count} {self.names[plural]}(s)" for plural, count in self.reminded.items()
        )
        return f"{counts} reminded, {self.messages} message(s) queued"


def _due_items(now: dt.datetime, kinds: list[ReminderKind]) -> Iterator[tuple[ReminderKind, Due]]:
    """Every kind's items that start within the look-ahead, kind after kind."""
    until = now + LOOKAHEAD
    for kind in kinds:
        for due in kind.find(now, until):
            yield kind, due


def send_reminders(*, now: dt.datetime | None = None) -> ReminderReport:
    """Queue every reminder that is due now (see the module's docstring). Idempotent."""
    from layanan.notify.services import outbox_enqueue_many

    now = now or timezone.now()
    kinds = reminder_kinds()
    report = ReminderReport.of(kinds)
    calendars: dict[int, Calendar] = {}
    for kind, due in _due_items(now, kinds):
        case, starts_at, unit = due.case, due.starts_at, due.unit
        calendar = calendars.get(unit.pk)
        if calendar is None:
            calendar = calendars[unit.pk] = Calendar.for_unit(unit)
        if now < reminder_due(starts_at, calendar) or not sending_hours(now, calendar):
            continue
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                messages = [
                    {
                        **m,
                        "dedupe_key": reminder_key(
                            kind.name, case, starts_at, m["channel"], m["recipient"]
                        ),
                        "case_id": case.pk,
                        "kind": f"{kind.name}.reminder",
                    }
                    for m in kind.messages(due.item)
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
            report.reminded[kind.plural] += 1
    return report
