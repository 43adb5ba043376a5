"""The timeline of a case: ``case_event_record`` writes every event, and what each kind of
``CaseEvent`` is called on staff timelines (pages and API), in one place."""

from __future__ import annotations

import datetime as dt

from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy

from layanan.accounts.actors import user_or_none

from .models import Case, CaseEvent

ANSWER_DRAFT_EVENT = "answer_drafted"
#: The due time moved because the working-day calendar changed (``cases/recompute.py``).
DUE_CHANGED_EVENT = "due_changed"

#: Sent after events were written with ``bulk_create`` (which sends no ``post_save``), in the
#: transaction that wrote them: ``events`` is the list, each with its ``case`` (and the case's
#: ``unit``) loaded. Listeners react as they do to ``post_save`` of one event.
events_bulk_created = Signal()

EVENT_LABELS = {
    "received": gettext_lazy("Received"),
    "status": gettext_lazy("Status changed"),
    "reopened": gettext_lazy("Reopened"),
    "classified": gettext_lazy("Classified"),
    "reclassified": gettext_lazy("Reclassified"),
    "assigned": gettext_lazy("Assigned"),
    "note": gettext_lazy("Internal note"),
    "attachment": gettext_lazy("File attached"),
    # A message the requester sent on a channel (e-mail), added by layanan/intake.
    "requester_message": gettext_lazy("Message from the requester"),
    ANSWER_DRAFT_EVENT: gettext_lazy("Answer drafted"),
    "answer_letter": gettext_lazy("Answer letter issued"),
    "identity_viewed": gettext_lazy("Viewed the reporter's identity"),
    "identity_erased": gettext_lazy("Identity erased (retention)"),
    "sla_due_soon": gettext_lazy("Due soon: the person in charge was reminded"),
    "sla_overdue": gettext_lazy("Overdue: escalated to the head of unit"),
    DUE_CHANGED_EVENT: gettext_lazy("Deadline adjusted to a calendar change"),
    # Facility requests (layanan/facilities)
    "booking_cancelled": gettext_lazy("Booking cancelled"),
    "booking_used": gettext_lazy("Facility used"),
    "booking_not_used": gettext_lazy("Facility not used"),
    # Audience requests (layanan/audiences)
    "disposition": gettext_lazy("Disposition"),
    "schedule_proposed": gettext_lazy("Schedule proposed"),
    "schedule_changed": gettext_lazy("Schedule changed"),
}


def case_event_record(
    *,
    case: Case,
    actor,
    kind: str,
    old: object = "",
    new: object = "",
    note: str = "",
    public_note: str = "",
    internal: bool = False,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline. ``note`` is for staff only; ``public_note`` is
    the text the requester reads with this step (on the tracking page), unless the whole event
    is ``internal``."""
    return CaseEvent.objects.create(
        case=case,
        actor=user_or_none(actor),  # PUBLIC/SYSTEM store no user; None is a TypeError
        at=at or timezone.now(),
        kind=kind,
        old_value=str(old or "")[:200],
        new_value=str(new or "")[:200],
        note=note,
        public_note=public_note,
        is_internal=internal,
    )
