"""Reminders about a survey period to the head(s) of its unit, by e-mail through the outbox.

Three, each at most once per period (a ``SurveyPeriodReminder`` row, unique per period and kind,
written in the same transaction as the messages; the outbox's ``dedupe_key`` refuses a second
copy too):

- **opened** — while the period runs: its dates, where the public answers (the kiosk page) and
  the report page;
- **sample** — one month before the period ends (the same day of the month before its last day,
  30 November for a period ending 31 December; for a period of a month or less, its middle day):
  the respondents so far against the Krejcie–Morgan minimum for the people served
  (``IkmResult.sample_short``, the rule every page shows). The check is recorded either way; the
  e-mail goes only when the sample is short;
- **closed** — after the last day (up to ``SURVEY_REMINDER_CLOSED_DAYS``, 31 days, so that a new
  installation does not announce years of old periods): the IKM, grade, performance and sample,
  and the link to the period's SKM report where the head writes the follow-up plan.

Only periods that belong to a unit are reminded about (an office-wide period has no one head).
A reminder goes on a working day of the unit's calendar, from ``SURVEY_REMINDER_HOURS`` (8–16,
the unit's time zone): the periodic run (``manage.py send_survey_reminders``, hourly; the task
``send_survey_reminders_task``) outside those hours does nothing and the next run in them sends.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode

from layanan.accounts.models import Membership, Role
from layanan.core.models import Unit
from layanan.notify.models import OutboxChannel
from layanan.notify.services import outbox_enqueue
from layanan.workdays.deadlines import Calendar

from .ikm import IkmResult
from .models import ReminderKind, SurveyPeriod, SurveyPeriodReminder
from .scope import ikm_in_scope, scope_of_period

HOURS_DEFAULT = (8, 16)  # from 08:00 to before 16:00, the unit's local time
CLOSED_DAYS_DEFAULT = 31


def _hours() -> tuple[int, int]:
    first, last = getattr(settings, "SURVEY_REMINDER_HOURS", HOURS_DEFAULT)
    return int(first), int(last)


def _closed_days() -> int:
    return int(getattr(settings, "SURVEY_REMINDER_CLOSED_DAYS", CLOSED_DAYS_DEFAULT))


def month_before(day: dt.date) -> dt.date:
    """The same day of the previous month, or its last day when shorter (31 Dec → 30 Nov,
    30 Jun → 30 May, 31 Mar → 28/29 Feb)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sample_check_day(period: SurveyPeriod) -> dt.date:
    """One month before the period's last day; for a period of a month or less, its middle."""
    day = month_before(period.end)
    if day <= period.start:
        day = period.start + (period.end - period.start) // 2
    return day


def due_kind(period: SurveyPeriod, today: dt.date) -> list[str]:
    """The reminders ``period`` calls for on ``today`` (before the once-only check)."""
    kinds = []
    if period.start <= today <= period.end:
        kinds.append(ReminderKind.OPENED)
        if today >= sample_check_day(period):
            kinds.append(ReminderKind.SAMPLE)
    elif period.end < today <= period.end + dt.timedelta(days=_closed_days()):
        kinds.append(ReminderKind.CLOSED)
    return kinds


def heads_of(unit: Unit) -> list:
    """The active heads of ``unit`` itself who have an e-mail address."""
    return [
        m.user
        for m in Membership.objects.filter(unit=unit, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        if m.user.email
    ]


def period_links(period: SurveyPeriod) -> dict[str, str]:
    base = settings.SITE_URL
    report = (
        reverse("reports:skm", args=[period.unit.slug]) + "?" + urlencode({"periode": period.slug})
    )
    return {
        "report": base + report,
        "kiosk": base + reverse("surveys:kiosk", args=[period.unit.slug]),
    }


def _dates(period: SurveyPeriod) -> dict[str, str]:
    return {
        "name": period.name,
        "unit": period.unit.name,
        "start": formats.date_format(period.start, "j F Y"),
        "end": formats.date_format(period.end, "j F Y"),
    }


def _message(kind: str, period: SurveyPeriod, result: IkmResult) -> tuple[str, str]:
    """(subject, body) of one reminder, in the active language, from the kind's templates in
    ``templates/surveys/reminders/`` (``<kind>.subject.txt``, ``<kind>.txt``)."""
    links = period_links(period)
    context = {
        **_dates(period),
        "kiosk_url": links["kiosk"],
        "report_url": links["report"],
        "n": result.respondents,
        "population": result.population,
        "minimum": result.min_sample,
        "missing": (result.min_sample or 0) - result.respondents,
        "sample_short": result.sample_short,
        "ikm": None if result.converted is None else formats.number_format(result.converted, 2),
        "grade": result.grade,
        "performance": result.performance,
    }
    subject = render_to_string(f"surveys/reminders/{kind}.subject.txt", context).strip()
    body = render_to_string(f"surveys/reminders/{kind}.txt", context).removesuffix("\n")
    return subject, body


def _send(period: SurveyPeriod, kind: str, result: IkmResult) -> SurveyPeriodReminder | None:
    """Record the reminder and queue its e-mails, once; None when it was recorded before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = SurveyPeriodReminder.objects.create(
                    period=period,
                    kind=kind,
                    respondents=result.respondents,
                    min_sample=result.min_sample,
                    ikm=result.converted,
                )
        except IntegrityError:
            return None  # recorded before (or by a run at the same moment)
        if kind == ReminderKind.SAMPLE and not result.sample_short:
            return reminder  # checked, large enough: nothing to say
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _message(kind, period, result)
        for user in heads_of(period.unit):
            message = outbox_enqueue(
                channel=OutboxChannel.EMAIL,
                recipient=user.email,
                subject=subject,
                body=body,
                kind=f"survey.period.{kind}",
                dedupe_key=f"survey:period:{period.pk}:{kind}:{user.pk}",
            )
            reminder.queued += message is not None
        if reminder.queued:
            reminder.save(update_fields=["queued"])
        return reminder


@dataclass
class ReminderReport:
    now: dt.datetime
    checked: int = 0
    recorded: list[str] = field(default_factory=list)
    queued: int = 0

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "checked": self.checked,
            "recorded": self.recorded,
            "queued": self.queued,
        }


def send_survey_reminders(*, now: dt.datetime | None = None) -> ReminderReport:
    """Send the reminders due now (see the module docstring). Idempotent: safe to run hourly,
    and in several processes at once."""
    now = now or timezone.now()
    report = ReminderReport(now=now)
    first_hour, last_hour = _hours()
    earliest_end = timezone.localdate(now) - dt.timedelta(days=_closed_days() + 1)
    periods = (
        SurveyPeriod.objects.filter(unit__isnull=False, end__gte=earliest_end)
        .filter(start__lte=timezone.localdate(now) + dt.timedelta(days=1))
        .select_related("unit")
        .order_by("unit__path", "start", "pk")
    )
    done = set(
        SurveyPeriodReminder.objects.filter(period__in=periods).values_list("period_id", "kind")
    )
    calendars: dict[int, Calendar] = {}
    for period in periods:
        unit = period.unit
        local = now.astimezone(zoneinfo.ZoneInfo(unit.time_zone_name()))
        today = local.date()
        kinds = [k for k in due_kind(period, today) if (period.pk, k) not in done]
        if not kinds:
            continue
        if not first_hour <= local.hour < last_hour:
            continue
        if unit.pk not in calendars:
            calendars[unit.pk] = Calendar.for_unit(unit)
        if not calendars[unit.pk].is_working_day(today):
            continue
        report.checked += 1
        result = ikm_in_scope(unit, scope_of_period(period))
        for kind in kinds:
            reminder = _send(period, kind, result)
            if reminder is not None:
                report.recorded.append(f"{period.slug}:{kind}")
                report.queued += reminder.queued
    return report
