"""Export of one person's data for a data-subject request (UU 27/2022, art. 7 ff.).

Found by e-mail address (case-insensitive) or telephone number (compared in E.164, the one
rule of ``layanan.core.phones``, so ``0812-3456 7890`` finds ``+62 812 3456 7890``). The
export holds every case that person filed, what they told us and the public course of each
case (status changes, answers), the kind-specific details, the names of the files they sent,
visitor records and the notifications sent to them. It leaves out internal notes and staff
names: those are other people's data and the office's working papers, not the requester's.

A confidential complaint of that person is in it too (it is their own data, and the request
names them already), marked ``confidential``. Every export is written to the audit log
(``personal_data_exported``: who ran it, how the person was looked up, and how many cases,
confidential cases, visitor records and notifications it held — never the e-mail address,
the number or a case of the person), so an export is never a silent way to learn who filed a
confidential complaint.
"""

from __future__ import annotations

import contextlib

from django.utils import timezone

from layanan.cases.models import Case, CaseKind
from layanan.core.audit import audit_log
from layanan.core.models import AuditAction
from layanan.core.phones import phone_or_none

#: The audit log's actor when no staff member is named.
SYSTEM_ACTOR = "manage.py export_personal_data"


def _iso(value):
    return value.isoformat() if value is not None else None


def _details(case: Case) -> dict:
    if case.kind == CaseKind.COMPLAINT and hasattr(case, "complaint"):
        d = case.complaint
        return {"location": d.location, "lapor_number": d.lapor_number, "answer": d.answer}
    if case.kind == CaseKind.FACILITY and hasattr(case, "booking"):
        d = case.booking
        return {
            "resource": d.resource.name,
            "starts_at": _iso(d.starts_at),
            "ends_at": _iso(d.ends_at),
            "purpose": d.purpose,
            "organisation": d.organisation,
            "state": d.state,
            "reason": d.reason,
        }
    if case.kind == CaseKind.AUDIENCE and hasattr(case, "audience"):
        d = case.audience
        return {
            "organisation": d.organisation,
            "topic": d.topic,
            "preferred_dates": [
                _iso(x) for x in (d.preferred_date_1, d.preferred_date_2, d.preferred_date_3) if x
            ],
            "official_requested": d.official_requested,
            "letter_number": d.letter_number,
            "letter_date": _iso(d.letter_date),
            "schedule_starts_at": _iso(d.schedule_starts_at),
            "schedule_place": d.schedule_place,
            "reply_number": d.reply_number,
            "reply_date": _iso(d.reply_date),
            "reply_body": d.reply_body,
        }
    if hasattr(case, "visit"):
        d = case.visit
        return {
            "origin": d.origin,
            "purpose": d.purpose,
            "ticket": d.ticket,
            "arrived_at": _iso(d.arrived_at),
            "finished_at": _iso(d.finished_at),
            "outcome": d.outcome,
        }
    return {}


def _case_export(case: Case) -> dict:
    return {
        "number": case.number,
        "tracking_code": case.public_code,
        "kind": case.kind,
        "unit": case.unit.name,
        "service": case.standard.name if case.standard_id else None,
        "channel": case.channel,
        "status": case.status,
        "received_at": _iso(case.received_at),
        "due_at": _iso(case.due_at),
        "answered_at": _iso(case.answered_at),
        "closed_at": _iso(case.closed_at),
        "subject": case.subject,
        "description": case.description,
        "requester": {
            "name": case.requester_name,
            "email": case.requester_email,
            "phone": case.requester_phone,
            "organisation": case.requester_organisation,
            "confidential": case.is_confidential,
        },
        "details": _details(case),
        "timeline": [
            {
                "at": _iso(e.at),
                "event": e.kind,
                "from": e.old_value,
                "to": e.new_value,
                "note": e.public_note,  # what the requester was told; never a staff note
            }
            for e in case.events.all()
            if not e.is_internal
        ],
        "files": [
            {
                "name": a.original_name,
                "type": a.content_type,
                "size": a.size,
                "uploaded_at": _iso(a.uploaded_at),
            }
            for a in case.attachments.all()
            if not a.is_internal
        ],
    }


def personal_data_export(*, email: str = "", phone: str = "", actor=None) -> dict:
    """Everything held about the person with this e-mail address or telephone number.

    ``actor``: the staff member handling the request (a user), or a label for the audit log;
    by default ``SYSTEM_ACTOR``."""
    from layanan.notify.models import OutboxMessage

    email = (email or "").strip()
    number = phone_or_none(phone) or ""
    if not email and not number:
        raise ValueError("give an e-mail address or a valid telephone number")

    cases = Case.objects.none()
    if email:
        cases = Case.objects.filter(requester_email__iexact=email)
    if number:  # stored in E.164 (layanan.core.phones), however the person typed it
        cases = cases | Case.objects.filter(requester_phone=number)
    cases = (
        cases.distinct()
        .select_related("unit", "standard")
        .prefetch_related("events", "attachments")
        .order_by("received_at")
    )
    case_list = list(cases)
    for case in case_list:  # the one-to-one details, whichever exists
        for name in ("complaint", "booking", "audience", "visit"):
            # RelatedObjectDoesNotExist, or no such relation without the app
            with contextlib.suppress(Exception):
                getattr(case, name)

    visitors = []
    try:
        from layanan.visits.models import Visitor
    except ImportError:  # pragma: no cover
        Visitor = None
    if Visitor is not None and number:
        visitors = [
            {
                "unit": v.unit.name,
                "name": v.name,
                "phone": v.phone,
                "origin": v.origin,
                "since": _iso(v.created_at),
            }
            for v in Visitor.objects.filter(phone=number).select_related("unit")
        ]

    # The outbox keeps WhatsApp recipients in the Cloud API's wire format (digits only).
    recipients = [r for r in (email, number, number.removeprefix("+")) if r]
    messages = OutboxMessage.objects.filter(
        recipient__in=recipients
    ) | OutboxMessage.objects.filter(case_id__in=[c.pk for c in case_list])
    notifications = [
        {
            "channel": m.channel,
            "recipient": m.recipient,
            "subject": m.subject,
            "body": m.body,
            "status": m.status,
            "created_at": _iso(m.created_at),
        }
        for m in messages.distinct().order_by("created_at")
        if m.recipient in recipients or m.recipient.lower() == email.lower()
    ]
    audit_log(
        actor=actor or SYSTEM_ACTOR,
        action=AuditAction.PERSONAL_DATA_EXPORTED,
        data={
            "looked_up_by": "+".join(k for k, v in (("e-mail", email), ("telephone", number)) if v),
            "cases": len(case_list),
            "confidential_cases": sum(1 for c in case_list if c.is_confidential),
            "visitor_records": len(visitors),
            "notifications": len(notifications),
        },
    )
    return {
        "generated_at": _iso(timezone.now()),
        "query": {"email": email or None, "phone": number or None},
        "cases": [_case_export(c) for c in case_list],
        "visitor_records": visitors,
        "notifications": notifications,
    }
