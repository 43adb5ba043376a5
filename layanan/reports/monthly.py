"""The monthly evaluation e-mail to each head of unit, on the first working day of the month.

Cron runs ``manage.py send_monthly_reports`` every day; it acts only when today is the first
working day of the month (national holidays, cuti bersama and weekends from the working-day
calendar), and then queues, through the notification outbox, one message per head and unit
about last month. Idempotent: the outbox's ``dedupe_key`` (``report:monthly:<unit>:<YYYY-MM>:
<user>``) refuses a second copy, so running the command again — the same day or later — sends
nothing new.

The message holds the key figures, the report itself as PDF and XLSX attachments (kept with the
outbox row, so a retry sends the same files), and links to the dashboard and the downloads on
the staff site, which ask the head to sign in (``report.view`` permission). Its subject and text
are worded in ``templates/reports/notifications/monthly*.txt``, in the site's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.models import Membership, Role
from layanan.cases.notifications import render_text
from layanan.core.models import Unit
from layanan.notify.models import OutboxChannel
from layanan.notify.services import outbox_enqueue
from layanan.workdays.deadlines import Calendar

from .exports import evaluation_filename, evaluation_pdf, evaluation_xlsx
from .metrics import Month
from .summary import Evaluation, evaluation


def first_working_day(month: Month, *, unit: Unit | None = None) -> dt.date:
    """The first day of ``month`` on which the office is open (the system calendar, or
    ``unit``'s)."""
    calendar = Calendar.for_unit(unit)
    day = month.first_day
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def dedupe_key(unit: Unit, month: Month, user) -> str:
    return f"report:monthly:{unit.pk}:{month}:{user.pk}"


def report_links(unit: Unit, month: Month) -> dict[str, str]:
    base = settings.SITE_URL
    return {
        "pdf": base + reverse("reports:monthly_pdf", args=[unit.slug, str(month)]),
        "xlsx": base + reverse("reports:monthly_xlsx", args=[unit.slug, str(month)]),
        "dashboard": f"{base}{reverse('reports:dashboard')}?unit={unit.slug}&bulan={month}",
    }


def _body(ev: Evaluation, links: dict[str, str]) -> str:
    return render_text(
        "reports/notifications/monthly.txt",
        {"unit": ev.unit.name, "month": ev.month.label(), "comparison": ev.comparison, **links},
    )


def heads_of(unit: Unit):
    return [
        m.user
        for m in Membership.objects.filter(unit=unit, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        if m.user.email
    ]


def monthly_report_email(unit: Unit, month: Month, *, ev: Evaluation | None = None) -> int:
    """Queue the evaluation of ``unit`` for ``month`` to each of its heads; returns how many
    messages were queued now (0 when they had been queued before)."""
    heads = heads_of(unit)
    if not heads:
        return 0
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        ev = ev or evaluation(unit, month)
        links = report_links(unit, month)
        subject = render_text(
            "reports/notifications/monthly.subject.txt",
            {"unit": unit.display_name, "month": month.label()},
        )
        body = _body(ev, links)
        files = [
            (evaluation_filename(unit, month, "pdf"), evaluation_pdf(ev), "application/pdf"),
            (evaluation_filename(unit, month, "xlsx"), evaluation_xlsx(ev), XLSX_TYPE),
        ]
        for user in heads:
            message = outbox_enqueue(
                channel=OutboxChannel.EMAIL,
                recipient=user.email,
                subject=subject,
                body=body,
                dedupe_key=dedupe_key(unit, month, user),
                kind="report.monthly",
                template_key="reports/monthly",
                context={"unit": unit.slug, "month": str(month), **links},
                attachments=files,
            )
            queued += message is not None
    return queued


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class SendReport:
    today: dt.date
    first_working_day: dt.date
    month: Month | None  # the month reported on, None when today is not the day
    queued: int = 0
    units: int = 0


def send_monthly_reports(*, today: dt.date | None = None) -> SendReport:
    """On the first working day of a month, queue last month's evaluation to every head of unit.
    Any other day does nothing (so cron may run it daily)."""
    today = today or timezone.localdate()
    this_month = Month.of(today)
    first = first_working_day(this_month)
    result = SendReport(today=today, first_working_day=first, month=None)
    if today != first:
        return result
    month = this_month.previous()
    result.month = month
    units = (
        Unit.objects.filter(memberships__role=Role.HEAD, memberships__user__is_active=True)
        .distinct()
        .order_by("path")
    )
    for unit in units:
        result.units += 1
        result.queued += monthly_report_email(unit, month)
    return result
