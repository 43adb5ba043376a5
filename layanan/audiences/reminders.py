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

from layanan.cases.models import Status
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import public_status_url
from layanan.cases.reminders import Due, ReminderKind, reminder_messages

from .letters import format_schedule
from .models import AudienceDetail
from .notifications import TEMPLATES, letter_download_url


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
    """The reminders of one scheduled audience: the requester and the receiving official,
    worded by ``templates/audiences/notifications/reminder*.txt``."""
    case = detail.case
    unit = case.unit
    context = {
        "name": case.requester_name,
        "unit": unit.name,
        "topic": detail.topic,
        "organisation": detail.organisation,
        "when": format_schedule(detail.schedule_starts_at, unit),
        "place": detail.schedule_place,
        "official": detail.schedule_official,
        # as text: the template would localise a number (thousands separator)
        "count": str(detail.participants),
        "code": format_public_code(case.public_code),
        "number": case.number,
        "reply_number": detail.reply_number,
        "letter_url": letter_download_url(case),
        "status_url": public_status_url(case),
        "staff_url": settings.SITE_URL + reverse("audience:detail", args=[case.number]),
    }
    return reminder_messages(
        case,
        templates=TEMPLATES,
        context=context,
        staff=[detail.official_user or detail.scheduled_by],
    )


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
