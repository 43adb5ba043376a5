"""The reminders of a scheduled audience, the working day before (``cases/reminders.py`` says
when, and its sweep walks :data:`AUDIENCE_REMINDERS` with the other kinds of
``settings.REMINDER_KINDS``): to the requester, and to the receiving official's account chosen
with the schedule, else whoever scheduled it (who then tells the official). An audience
qualifies once its reply letter is issued (status ``answered``: the requester has the
schedule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from layanan.cases.models import Status
from layanan.cases.numbering import format_public_code
from layanan.cases.reminders import (
    Due,
    ReminderKind,
    footer,
    requester_message,
    staff_message,
)

from .letters import format_schedule
from .models import AudienceDetail
from .notifications import letter_download_url
from .notifications import status_url as audience_status_url


def audiences_to_remind(now: dt.datetime, until: dt.datetime) -> QuerySet[AudienceDetail]:
    """The answered audiences that start after ``now`` and by ``until``, soonest first."""
    return (
        AudienceDetail.objects.filter(
            case__status=Status.ANSWERED,
            schedule_starts_at__gt=now,
            schedule_starts_at__lte=until,
        )
        .exclude(reply_number="")
        .select_related("case", "case__unit", "official_user", "scheduled_by")
        .order_by("schedule_starts_at", "pk")
    )


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
            *footer(unit),
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
            *footer(unit),
        ]
    )
    staff = staff_message(
        official, subject=staff_subject, body=staff_body, short=f"{staff_subject}\n{staff_url}"
    )
    if staff and staff["recipient"] not in {m["recipient"] for m in messages}:
        messages.append(staff)
    return messages


def audiences_due(now: dt.datetime, until: dt.datetime) -> Iterator[Due]:
    """:func:`audiences_to_remind` for the sweep (the audience's unit's calendar)."""
    for detail in audiences_to_remind(now, until):
        yield Due(
            case=detail.case,
            starts_at=detail.schedule_starts_at,
            unit=detail.case.unit,
            item=detail,
        )


#: the audiences' part of the reminder sweep (``settings.REMINDER_KINDS``)
AUDIENCE_REMINDERS = ReminderKind(
    name="audience", plural="audiences", find=audiences_due, messages=audience_messages
)
