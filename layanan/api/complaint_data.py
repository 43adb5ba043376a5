"""What the complaint endpoints answer: a complaint as its reporter follows it by the tracking
code, and as staff read it in the list, the detail and after an action.

The requester appears as the reporter chose: nothing for an anonymous complaint; a confidential
reporter only on ``GET /complaints/{id}``, to whoever ``cases.identity`` lets see it, which
records the reading; never in a list or an action's answer.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.permissions import can
from layanan.cases.identity import (
    may_reveal_identity,
    requester_identity_for,
    requester_identity_reveal,
)
from layanan.cases.models import OPEN_STATUSES, Case, Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.selectors import case_timeline, is_overdue
from layanan.cases.timeline import event_label, status_label
from layanan.cases.workflow import allowed_transitions
from layanan.complaints.selectors import public_timeline

from .common import local, unit_brief
from .permissions import token_reaches


def track_data(case: Case) -> dict:
    """What the holder of the tracking code reads: status, times, the public timeline (the
    same entries, in the same words, as the tracking page) and, once answered, the answer."""
    answer = None
    if case.status in (Status.ANSWERED, Status.CLOSED):
        answer = case.complaint.answer or None
    return {
        "number": case.number,
        "public_code": format_public_code(case.public_code),
        "unit": unit_brief(case.unit),
        "status": case.status,
        "status_label": status_label(case.status),
        "received_at": local(case.received_at),
        "due_at": local(case.due_at),
        "answered_at": local(case.answered_at),
        "closed_at": local(case.closed_at),
        "timeline": [
            {
                "at": local(entry.at),
                "label": entry.label,
                "status": entry.status,
                "note": entry.note,
            }
            for entry in public_timeline(case)
        ],
        "answer": answer,
    }


def _requester(request: HttpRequest, case: Case, *, reveal: bool) -> tuple[str, dict | None]:
    """(``requester_state``, ``requester``) as this answer may carry them. ``reveal`` asks for a
    confidential reporter: ``cases.identity`` decides and records the reading."""
    if case.is_anonymous:
        return "anonymous", None
    if case.is_confidential:
        if not (reveal and may_reveal_identity(request.user, case)):
            return "withheld", None
        return "shown", requester_identity_reveal(actor=request.user, case=case).as_dict()
    identity = requester_identity_for(request.user, case)
    return ("shown", identity.as_dict()) if identity is not None else ("withheld", None)


def complaint_data(request: HttpRequest, case: Case, *, now, reveal: bool = False) -> dict:
    detail = case.complaint
    state, identity = _requester(request, case, reveal=reveal)
    return {
        "id": case.pk,
        "number": case.number,
        "unit": unit_brief(case.unit),
        "standard": case.standard.slug if case.standard_id else None,
        "channel": case.channel,
        "channel_label": str(Channel(case.channel).label),
        "status": case.status,
        "status_label": status_label(case.status),
        "subject": case.subject,
        "description": case.description,
        "location": detail.location,
        "class_code": detail.class_code,
        "class_name": detail.class_name,
        "classified_at": local(detail.classified_at),
        "lapor_number": detail.lapor_number,
        "is_anonymous": case.is_anonymous,
        "is_confidential": case.is_confidential,
        "requester": identity,
        "requester_state": state,
        "received_at": local(case.received_at),
        "due_at": local(case.due_at),
        "first_response_at": local(case.first_response_at),
        "answered_at": local(case.answered_at),
        "closed_at": local(case.closed_at),
        "is_overdue": is_overdue(case, now),
        "is_paused": case.paused_since is not None,
        "sla_state": case.sla_state,
        "assigned_unit": unit_brief(case.assigned_unit),
        "assignee": case.assignee.get_username() if case.assignee_id else None,
        "url": request.build_absolute_uri(reverse("api:complaint_detail", args=[case.pk])),
    }


# The actions of this API: the permission each needs and the statuses it applies to (the
# services and the status machine decide in the end; this only tells the caller what to offer).
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "verify": ("case.verify", (Status.RECEIVED,)),
    "classify": ("case.verify", OPEN_STATUSES),
    "assign": ("case.assign", OPEN_STATUSES),
    "answer": ("case.send_answer", (Status.VERIFIED, Status.IN_PROGRESS)),
    "close": ("case.close", (Status.ANSWERED,)),
    "reject": ("case.verify", (Status.RECEIVED, Status.VERIFIED)),
}


def complaint_detail_data(request: HttpRequest, case: Case) -> dict:
    """The complaint with its answer, actions and timeline; a confidential reporter withheld.
    Reads only: no event, no audit entry."""
    return _complaint_detail(request, case, reveal=False)


def complaint_detail_with_audited_reveal(request: HttpRequest, case: Case) -> dict:
    """The same, with a confidential reporter shown to whoever may see them — and each such
    showing *written* to the record (``requester_identity_reveal``: an internal
    ``identity_viewed`` event and an audit entry)."""
    return _complaint_detail(request, case, reveal=True)


def _complaint_detail(request: HttpRequest, case: Case, *, reveal: bool) -> dict:
    data = complaint_data(request, case, now=timezone.now(), reveal=reveal)
    # The reporter's secret appears on its own case only, never in a list others read.
    data["public_code"] = format_public_code(case.public_code)
    data["answer"] = case.complaint.answer
    data["allowed_transitions"] = allowed_transitions(case)
    data["actions"] = [
        name
        for name, (permission, statuses) in ACTIONS.items()
        if case.status in statuses
        and can(request.user, permission, case)
        and token_reaches(request.auth, case)
    ]
    data["events"] = [
        {
            "at": local(event.at),
            "kind": event.kind,
            "label": event_label(event.kind),
            "actor": event.actor.get_username() if event.actor_id else None,
            "old_value": event.old_value,
            "new_value": event.new_value,
            "note": event.note,
            "public_note": event.public_note,
            "is_internal": event.is_internal,
        }
        for event in case_timeline(case)
    ]
    return data
