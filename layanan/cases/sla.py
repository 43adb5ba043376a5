"""The SLA sweep: mark open cases due soon and overdue, tell the handler, escalate to the head.

``sla_sweep()`` runs from ``manage.py sla_sweep`` (cron or ``--loop``) and as a task. Each case
crosses each threshold once: the claim is one conditional ``UPDATE … WHERE <threshold>_notified_at
IS NULL … RETURNING id``, so of two sweeps running at once exactly one gets a given case (on
PostgreSQL the second waits for the row lock, re-checks the condition and skips the row). The
notifications and the timeline events are written in the same transaction as the claim: a
sweep that crashes leaves the case unclaimed and the next sweep does it.

Thresholds:

- **due soon**: the due time is within ``SLA_DUE_SOON_SHORT`` (1 hour) for limits counted in
  minutes or hours (the 3-hour *ringan* class), within ``SLA_DUE_SOON_LONG`` (24 hours) for
  limits counted in days;
- **overdue**: the due time has passed — ``cases.selectors.overdue_q``, the one definition the
  inbox, the API and the reports use too (at ``due_at == now`` a case is not yet overdue).

Only cases whose clock runs are swept (received, verified, in progress): a case waiting for the
requester keeps its state until it resumes, and an answered case has met its limit.

Only the kinds the standards escalate are swept (``SWEPT_KINDS``): complaints, audience and
facility requests — limits of hours or days that the unit's officers must meet and whose
breach the head must know of. Visits and walk-in consultations are not: they are handled
face to face at the desk, their "Administrasi : 15 Menit" is watched by the desk's own running
clock and flag (visits/models.py ``admin_time_exceeded``), and an e-mail about a guest sitting in
the waiting room arrives after the guest has been served or has left — ten guests at 09:00 would
otherwise queue thirty e-mails by 09:40 (docs/deadlines.md, "What the sweep escalates").

A case whose due time moved later (reclassified, resumed after a pause) goes back to *on
track*, so it is warned again when the new time draws near.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layanan.accounts.models import Membership, Role
from layanan.notify.models import OutboxChannel
from layanan.notify.services import outbox_enqueue_many
from layanan.workdays.deadlines import format_due

from .models import Case, CaseEvent, CaseKind, SlaState, Status
from .notifications import render_text
from .selectors import overdue_q, running_q
from .thresholds import SHORT_UNITS, warning_thresholds, within_warning_q

RUNNING = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)
#: Kinds whose deadlines the sweep warns about and escalates. Visits and consultations are
#: watched at the desk (see the module docstring), never by e-mail.
SWEPT_KINDS = (CaseKind.COMPLAINT, CaseKind.AUDIENCE, CaseKind.FACILITY)
BATCH = 500


@dataclass
class SweepReport:
    due_soon: int = 0
    overdue: int = 0
    back_on_track: int = 0
    notifications: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.due_soon} due soon, {self.overdue} overdue, "
            f"{self.back_on_track} back on track, {self.notifications} notifications queued"
        )


def _claim(*, column: str, state: str, condition: Q, now: dt.datetime, limit: int) -> list[int]:
    """Set ``column`` = now and ``sla_state`` on up to ``limit`` unclaimed cases matching
    ``condition`` (the selectors' Q, compiled by the ORM: the same definition the inbox uses);
    return the ids this call claimed (one statement, safe against a concurrent sweep)."""
    candidates = (
        Case.objects.filter(condition, due_at__isnull=False, **{f"{column}__isnull": True})
        .order_by("due_at")
        .values("id")[:limit]
    )
    subquery, sub_params = candidates.query.sql_with_params()
    table = connection.ops.quote_name(Case._meta.db_table)
    quoted = connection.ops.quote_name(column)
    sql = (
        f"UPDATE {table} SET {quoted} = %s, sla_state = %s "  # noqa: S608 (names are ours)
        f"WHERE id IN ({subquery}) AND {quoted} IS NULL RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), state, *sub_params])
        return [row[0] for row in cursor.fetchall()]


def sla_sweep(
    *, now: dt.datetime | None = None, batch: int = BATCH, only: list[int] | None = None
) -> SweepReport:
    """Sweep every running case, or only the cases ``only`` names (the calendar recompute
    re-evaluates the cases it moved, in its own transaction: back on track, due soon, or
    overdue and escalated — once, as any sweep)."""
    now = now or timezone.now()
    short, long = warning_thresholds()
    report = SweepReport()
    scope = Q(kind__in=SWEPT_KINDS) if only is None else Q(kind__in=SWEPT_KINDS, pk__in=only)
    report.back_on_track = _back_on_track(now, short, long, scope)
    while True:
        with transaction.atomic():
            ids = _claim(
                column="overdue_notified_at",
                state=SlaState.OVERDUE,
                condition=overdue_q(now) & scope,
                now=now,
                limit=batch,
            )
            report.overdue += len(ids)
            report.notifications += _notify(ids, now=now, overdue=True)
        if len(ids) < batch:
            break
    while True:
        with transaction.atomic():
            # Running, not yet overdue, and within the warning threshold of its kind of limit.
            ids = _claim(
                column="due_soon_notified_at",
                state=SlaState.DUE_SOON,
                condition=running_q() & ~overdue_q(now) & within_warning_q(now) & scope,
                now=now,
                limit=batch,
            )
            report.due_soon += len(ids)
            report.notifications += _notify(ids, now=now, overdue=False)
        if len(ids) < batch:
            break
    return report


def _back_on_track(
    now: dt.datetime, short: dt.timedelta, long: dt.timedelta, scope: Q | None = None
) -> int:
    """Open cases marked due soon/overdue whose due time has since moved beyond the threshold."""
    far = Q(sla_unit__in=SHORT_UNITS, due_at__gt=now + short) | (
        ~Q(sla_unit__in=SHORT_UNITS) & Q(due_at__gt=now + long)
    )
    return (
        Case.objects.filter(scope or Q(), status__in=RUNNING)
        .exclude(sla_state=SlaState.ON_TRACK)
        .filter(far)
        .update(sla_state=SlaState.ON_TRACK, due_soon_notified_at=None, overdue_notified_at=None)
    )


def _recipients(cases: list[Case], *, overdue: bool) -> dict[int, set[str]]:
    """Case id → e-mail addresses: the assignee, else the handlers of the assigned division,
    else the unit's complaint officers; for overdue cases also the heads of the unit."""
    unit_ids = {c.unit_id for c in cases} | {
        c.assigned_unit_id for c in cases if c.assigned_unit_id
    }
    members: dict[tuple[int, str], set[str]] = {}
    for unit_id, role, email in (
        Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", "role", "user__email")
    ):
        members.setdefault((unit_id, role), set()).add(email)
    result = {}
    for case in cases:
        to: set[str] = set()
        if case.assignee_id and case.assignee.email and case.assignee.is_active:
            to.add(case.assignee.email)
        elif case.assigned_unit_id:
            to |= members.get((case.assigned_unit_id, Role.HANDLER), set())
        if not to:
            to |= members.get((case.unit_id, Role.COMPLAINT_OFFICER), set())
        if overdue:
            to |= members.get((case.unit_id, Role.HEAD), set())
        result[case.pk] = to
    return result


def _notify(ids: list[int], *, now: dt.datetime, overdue: bool) -> int:
    if not ids:
        return 0
    cases = list(Case.objects.filter(pk__in=ids).select_related("assignee", "unit"))
    kind = "sla_overdue" if overdue else "sla_due_soon"
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            at=now,
            kind=kind,
            new_value=case.due_at.isoformat(),
            is_internal=True,
            note=_("Escalated to the head of unit.") if overdue else "",
        )
        for case in cases
    )
    recipients = _recipients(cases, overdue=overdue)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for case in cases:
            link = settings.SITE_URL + reverse("cases:detail", kwargs={"ref": case.pk})
            values = {"number": case.number, "due": format_due(case.due_at), "link": link}
            # The wording: cases/notifications/sla_overdue*.txt and sla_due_soon*.txt.
            subject = render_text(f"cases/notifications/{kind}.subject.txt", values)
            body = render_text(f"cases/notifications/{kind}.txt", values)
            messages += [
                {
                    "channel": OutboxChannel.EMAIL,
                    "recipient": address,
                    "subject": subject,
                    "body": body,
                    "case_id": case.pk,
                    "kind": kind,
                    "dedupe_key": f"{kind}:{case.pk}:{case.due_at.isoformat()}:{address}",
                }
                for address in sorted(recipients[case.pk])
            ]
    # One look-up of the dedupe keys and one insert for the whole batch, one dispatch scheduled.
    return sum(message is not None for message in outbox_enqueue_many(messages))
