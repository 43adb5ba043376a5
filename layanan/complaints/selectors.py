"""Reads of complaints for the public, in one place: the complaint a tracking code names and
the timeline a reporter sees.

The tracking page (``/lacak/<code>/``, ``public_views.track_case``) and the API's
``GET /track/{code}`` both find the complaint with :func:`complaint_by_code` and show
:func:`public_timeline`: the same case, the same entries, in the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.cases.events import DUE_CHANGED_EVENT
from layanan.cases.models import Case, CaseEvent, CaseKind, Status
from layanan.workdays.deadlines import format_due

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: The requester's identity: never even loaded for a page or answer addressed by the code.
IDENTITY_FIELDS = ("requester_name", "requester_email", "requester_phone", "requester_organisation")


def complaint_by_code(code: str) -> Case | None:
    """The complaint with this (normalised) code, with what its public pages show, in one query.
    The requester's identity is not even loaded."""
    return (
        Case.objects.filter(kind=CaseKind.COMPLAINT, public_code=code)
        .select_related("complaint", "unit", "standard")
        .defer(*IDENTITY_FIELDS)
        .first()
    )


#: Requests tracked on their own status page; ``/lacak/`` sends their codes there, so one
#: tracking box serves every code a citizen holds.
REQUEST_STATUS_PAGES: dict[str, str] = {
    CaseKind.AUDIENCE: "audience:status",
    CaseKind.FACILITY: "bookings_public:status",
}


def request_status_page(code: str) -> str | None:
    """The URL name of the status page of the request (not a complaint) with this normalised
    code, or None. Reads the kind only, in one query."""
    kind = (
        Case.objects.filter(public_code=code, kind__in=list(REQUEST_STATUS_PAGES))
        .values_list("kind", flat=True)
        .first()
    )
    return REQUEST_STATUS_PAGES.get(kind) if kind else None


#: What each status change is called on the reporter's timeline.
STATUS_EVENT_WORDS: dict[str, StrOrPromise] = {
    Status.RECEIVED: gettext_lazy("Complaint received"),
    Status.VERIFIED: gettext_lazy("Complaint checked by the complaint officer"),
    Status.IN_PROGRESS: gettext_lazy("Handling started"),
    Status.WAITING: gettext_lazy("Waiting for information from you"),
    Status.ANSWERED: gettext_lazy("Answer given"),
    Status.CLOSED: gettext_lazy("Complaint closed"),
    Status.REJECTED: gettext_lazy("Complaint not accepted"),
    Status.WITHDRAWN: gettext_lazy("Complaint withdrawn"),
}


@dataclass(frozen=True)
class PublicEntry:
    """One step of the reporter's timeline. ``note`` is the text written for the reporter
    (``CaseEvent.public_note``), never a staff note; ``by_officer`` says an officer did it (the
    page shows "Officer of <unit>", never a name)."""

    at: dt.datetime
    label: str
    status: str | None
    note: str
    by_officer: bool

    @property
    def when(self) -> str:
        """``at`` in plain Indonesian (as the page shows it)."""
        return format_due(self.at)


def public_event_label(event: CaseEvent) -> str:
    """What happened, in plain words. Old/new values are shown only where they are known to be
    public (a complaint class of the unit's standard); anything else gets a generic line, so
    that a value holding a person's name (an attachment's file name, a division) can never
    reach the reporter's timeline."""
    if event.kind == "received":
        return str(STATUS_EVENT_WORDS[Status.RECEIVED])
    if event.kind == "classified":
        return _("Classified as “%(class)s”") % {"class": event.new_value}
    if event.kind == "reclassified":
        return _("Classification changed to “%(class)s”") % {"class": event.new_value}
    if event.kind == "status" and event.new_value in STATUS_EVENT_WORDS:
        return str(STATUS_EVENT_WORDS[event.new_value])
    if event.kind == "reopened":
        if event.actor_id is None:
            return _("Complaint reopened at the reporter's request")
        return _("Complaint reopened")
    if event.kind == "attachment":
        return _("A file was attached")
    if event.kind == DUE_CHANGED_EVENT:
        return _("Deadline adjusted to a change in the office calendar")
    return _("Complaint updated")


def public_event_status(event: CaseEvent) -> str | None:
    """The status an event reached, for status changes (else None)."""
    if event.kind in ("received", "status", "reopened") and event.new_value in Status.values:
        return event.new_value
    return None


def public_timeline(case: Case) -> list[PublicEntry]:
    """The reporter's timeline of ``case``: its non-internal events, oldest first, each with
    its public label, the status it reached and the text written for the reporter (one
    query)."""
    events = (
        CaseEvent.objects.filter(case_id=case.pk, is_internal=False)
        .only("at", "kind", "new_value", "public_note", "actor_id", "case_id")
        .order_by("at", "pk")
    )
    return [
        PublicEntry(
            at=event.at,
            label=public_event_label(event),
            status=public_event_status(event),
            note=event.public_note,
            by_officer=event.actor_id is not None,
        )
        for event in events
    ]
