"""Retention (UU 27/2022 on personal data): erase requesters' identities after the period.

A case that ended (closed, rejected, withdrawn) longer ago than ``settings.RETENTION_DAYS`` for
its kind keeps its number, unit, service, channel, status, times, deadline state, description and
timeline — everything the statistics and the reports read — but loses who asked: the requester's
name, e-mail, telephone and organisation, the kind-specific personal fields, the files the
requester sent, and the addresses and texts of the notifications sent about it. A visitor record
(name and telephone shared by a person's visits) goes once none of its visits keeps it.

Each erasure is one transaction that records an internal ``identity_erased`` case event, which
also marks the case as done: running again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from layanan.accounts.actors import SYSTEM
from layanan.cases.events import case_event_record
from layanan.cases.models import FINAL_STATUSES, Attachment, Case, CaseKind

logger = logging.getLogger(__name__)

ERASED_EVENT = "identity_erased"
ERASED_RECIPIENT = "[erased]"


@dataclass
class RetentionReport:
    dry_run: bool
    by_kind: dict[str, int] = field(default_factory=dict)
    case_ids: list[int] = field(default_factory=list)
    attachments_deleted: int = 0
    visitors_deleted: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "erased": self.by_kind,
            "total": self.total,
            "attachments_deleted": self.attachments_deleted,
            "visitors_deleted": self.visitors_deleted,
        }


def retention_due(*, now: dt.datetime | None = None):
    """Cases whose identity is due for erasure (a queryset), per the kind's retention."""
    now = now or timezone.now()
    due = Q()
    for kind, days in settings.RETENTION_DAYS.items():
        cutoff = now - dt.timedelta(days=int(days))
        ended = Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff)
        due |= Q(kind=kind) & ended
    if not due:
        return Case.objects.none()
    return (
        Case.objects.filter(due, status__in=FINAL_STATUSES)
        .exclude(events__kind=ERASED_EVENT)
        .order_by("closed_at", "pk")
    )


def _erase_details(case: Case) -> None:
    if case.kind == CaseKind.COMPLAINT:
        from layanan.complaints.models import ComplaintDetail

        ComplaintDetail.objects.filter(case=case).update(location="")
    elif case.kind == CaseKind.FACILITY:
        from layanan.facilities.models import BookingDetail

        BookingDetail.objects.filter(case=case).update(organisation="")
    elif case.kind == CaseKind.AUDIENCE:
        from layanan.audiences.models import AudienceDetail

        # The reply letter is addressed to the requester by name.
        AudienceDetail.objects.filter(case=case).update(organisation="", reply_body="")
    elif case.kind in (CaseKind.VISIT, CaseKind.CONSULTATION):
        try:
            from layanan.visits.models import VisitDetail
        except ImportError:  # pragma: no cover — deployments without the visits app
            return
        VisitDetail.objects.filter(case=case).update(visitor=None, origin="")


def _erase_outbox(case: Case) -> None:
    from layanan.notify.models import OutboxMessage

    OutboxMessage.objects.filter(case_id=case.pk).update(
        recipient=ERASED_RECIPIENT, body="", html_body="", context={}
    )


def _erase_one(case_id: int, report: RetentionReport) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.status not in FINAL_STATUSES:
            return False
        if case.events.filter(kind=ERASED_EVENT).exists():
            return False
        files = list(Attachment.objects.filter(case=case, is_internal=False))
        Case.objects.filter(pk=case.pk).update(
            requester_name="",
            requester_email="",
            requester_phone="",
            requester_organisation="",
        )
        _erase_details(case)
        _erase_outbox(case)
        for attachment in files:
            name = attachment.file.name
            attachment.delete()
            # The file goes after the commit: a rollback must not leave a row without its file.
            transaction.on_commit(lambda name=name: Attachment.file.field.storage.delete(name))
        case_event_record(
            case=case,
            actor=SYSTEM,
            kind=ERASED_EVENT,
            note=f"retention {settings.RETENTION_DAYS.get(case.kind)} days; "
            f"{len(files)} attachment(s) deleted",
            internal=True,
        )
    report.attachments_deleted += len(files)
    report.by_kind[case.kind] = report.by_kind.get(case.kind, 0) + 1
    report.case_ids.append(case.pk)
    return True


def _delete_orphan_visitors(*, now: dt.datetime) -> int:
    """Visitor records no visit points to any more, untouched for the visit retention."""
    try:
        from layanan.visits.models import Visitor
    except ImportError:  # pragma: no cover
        return 0
    days = int(settings.RETENTION_DAYS.get(CaseKind.VISIT, 365))
    orphans = Visitor.objects.filter(
        visits__isnull=True, updated_at__lt=now - dt.timedelta(days=days)
    )
    deleted, _ = orphans.delete()
    return deleted


def retention_erase_now(*, numbers: list[str]) -> RetentionReport:
    """Erase the identity of these ended cases at once (an erasure request under UU 27/2022
    art. 8), whatever their age. Open cases are refused: they still need the requester."""
    cases = list(Case.objects.filter(number__in=numbers).values_list("pk", "number", "status"))
    unknown = set(numbers) - {number for _pk, number, _status in cases}
    if unknown:
        raise ValueError(f"no such case: {', '.join(sorted(unknown))}")
    still_open = [number for _pk, number, status in cases if status not in FINAL_STATUSES]
    if still_open:
        raise ValueError(f"case still open: {', '.join(still_open)}")
    report = RetentionReport(dry_run=False)
    for pk, _number, _status in cases:
        _erase_one(pk, report)
    logger.info("identity erased on request", extra={"retention": report.as_dict()})
    return report


def retention_apply(*, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Erase the identities that are due (or, with ``dry_run``, only count them)."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    due = retention_due(now=now)
    if dry_run:
        for kind, case_id in due.values_list("kind", "pk"):
            report.by_kind[kind] = report.by_kind.get(kind, 0) + 1
            report.case_ids.append(case_id)
        return report
    for case_id in list(due.values_list("pk", flat=True)):
        _erase_one(case_id, report)
    report.visitors_deleted = _delete_orphan_visitors(now=now)
    logger.info("retention applied", extra={"retention": report.as_dict()})
    return report
