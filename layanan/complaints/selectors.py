"""Reads of complaints for the public, in one place: where a complaint may be filed, the
complaint a tracking code names and the timeline a reporter sees.

The public form, the API's ``POST /complaints`` and Open311's services read the units and
services that take complaints through :func:`complaint_units` and :func:`complaint_standards`.
The API's staff list narrows the complaints a token sees with :func:`complaints_narrowed`.

The tracking page (``/lacak/<code>/``, ``public_views.track_case``) and the API's
``GET /track/{code}`` both find the complaint with :func:`complaint_by_code` and show
:func:`public_timeline`: the same case, the same entries, in the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.cases.events import DUE_CHANGED_EVENT
from layanan.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseKind, Status
from layanan.cases.selectors import case_search_q, overdue_q
from layanan.catalog.models import ServiceStandard
from layanan.core.compiled import CompiledQuery
from layanan.core.models import Unit
from layanan.workdays.deadlines import format_due

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from layanan.accounts.models import User

#: The requester's identity: never even loaded for a page or answer addressed by the code.
IDENTITY_FIELDS = ("requester_name", "requester_email", "requester_phone", "requester_organisation")


def complaint_standards(unit: Unit | None = None) -> QuerySet[ServiceStandard]:
    """Published standards that take complaints (of ``unit``, if given), with their unit and
    published version, in catalogue order (one query)."""
    standards = (
        ServiceStandard.objects.published()
        .filter(accepts_complaints=True)
        .select_related("unit", "published_version")
        .order_by("unit__path", "position", "name", "pk")
    )
    return standards.filter(unit=unit) if unit is not None else standards


def complaint_units() -> QuerySet[Unit]:
    """Units a citizen may complain to: those offering a published service that takes
    complaints (the catalogue's units)."""
    return Unit.objects.filter(
        pk__in=ServiceStandard.objects.published().filter(accepts_complaints=True).values("unit_id")
    ).order_by("path")


def takes_complaints(unit: Unit) -> bool:
    """Whether the public may complain to ``unit`` directly (one query)."""
    return complaint_units().filter(pk=unit.pk).exists()


def published_standard_of(unit: Unit, slug: str) -> ServiceStandard | None:
    """The published standard ``slug`` of ``unit``, with its published version, whether it takes
    complaints or not (staff may record a complaint about any service; the public only about
    those that take them), or None."""
    return (
        ServiceStandard.objects.published()
        .select_related("published_version")
        .filter(unit=unit, slug=slug)
        .first()
    )


def complaints_narrowed(
    complaints: QuerySet[Case],
    *,
    user: User,
    now: dt.datetime,
    status: str = "",
    class_code: str = "",
    channel: str = "",
    within: Unit | None = None,
    overdue: bool | None = None,
    text: str = "",
) -> QuerySet[Case]:
    """``complaints`` (those the caller may see) narrowed to a status, a complaint class
    (``"-"``: not classified yet), a channel, the subtree of ``within``, overdue or not
    (``cases.selectors.overdue_q`` at ``now``) and a text search as ``user`` may search
    (``case_search_q``); most urgent first (``due_at``, those without one last)."""
    if status:
        complaints = complaints.filter(status=status)
    if class_code == "-":
        complaints = complaints.filter(complaint__class_code="")
    elif class_code:
        complaints = complaints.filter(complaint__class_code=class_code)
    if channel:
        complaints = complaints.filter(channel=channel)
    if within is not None:
        complaints = complaints.filter(unit__path__startswith=within.path)
    if overdue is True:
        complaints = complaints.filter(overdue_q(now))
    elif overdue is False:
        complaints = complaints.exclude(overdue_q(now))
    text = text.strip()
    if text:
        complaints = complaints.filter(case_search_q(text, user))
    return complaints.order_by(F("due_at").asc(nulls_last=True), "received_at", "pk")


def complaint_by_code(code: str) -> Case | None:
    """The complaint with this (normalised) code, with what its public pages show, in one query.
    The requester's identity is not even loaded."""
    return (
        Case.objects.filter(kind=CaseKind.COMPLAINT, public_code=code)
        .select_related("complaint", "unit", "standard")
        .defer(*IDENTITY_FIELDS)
        .first()
    )


@dataclass(frozen=True)
class TrackedComplaint:
    """What the tracking page shows of a complaint, read in one query
    (:func:`tracked_complaint`): the case's public columns, its detail's class, answer and
    letter number, its unit's name, contacts and own zone, its standard's name, its survey
    invitation, and the stamp of its public history — ``public_events`` (how many) and
    ``last_public_event`` (the highest id), which key the page's cached case body
    (``complaints/tracking.py``): a new public event changes the stamp, even one whose
    transaction committed after a later one's. Never the requester's identity."""

    pk: int
    public_code: str
    status: str
    number: str
    subject: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    paused_since: dt.datetime | None
    reopen_count: int
    unit_id: int
    unit_name: str
    unit_phone: str
    unit_whatsapp: str
    unit_email: str
    unit_time_zone: str
    standard_name: str
    class_code: str
    answer: str
    letter_number: str
    survey_token: str
    survey_expires_at: dt.datetime | None
    survey_used_at: dt.datetime | None
    public_events: int
    last_public_event: int

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


#: TrackedComplaint's fields, from the columns of the query.
_TRACKED_COLUMNS = {
    "pk": "id",
    "public_code": "public_code",
    "status": "status",
    "number": "number",
    "subject": "subject",
    "received_at": "received_at",
    "due_at": "due_at",
    "answered_at": "answered_at",
    "closed_at": "closed_at",
    "paused_since": "paused_since",
    "reopen_count": "reopen_count",
    "unit_id": "unit_id",
    "unit_name": "unit__name",
    "unit_phone": "unit__phone",
    "unit_whatsapp": "unit__whatsapp",
    "unit_email": "unit__email",
    "unit_time_zone": "unit__time_zone",
    "standard_name": "standard__name",
    "class_code": "complaint__class_code",
    "answer": "complaint__answer",
    "letter_number": "complaint__letter_number",
    "survey_token": "survey_invitation__token",
    "survey_expires_at": "survey_invitation__expires_at",
    "survey_used_at": "survey_invitation__used_at",
    "public_events": "public_events",
    "last_public_event": "last_public_event",
}
_TEXT_OR_EMPTY = {"standard_name", "class_code", "answer", "letter_number", "survey_token"}


def _tracked_query(code: str) -> QuerySet:
    public = CaseEvent._base_manager.filter(case_id=OuterRef("pk"), is_internal=False).order_by()
    return (
        # the base manager: no unit scope is compiled into the statement (a public read)
        Case._base_manager.filter(kind=CaseKind.COMPLAINT, public_code=code)
        .annotate(
            public_events=Coalesce(
                Subquery(public.values("case_id").annotate(n=Count("pk")).values("n")), 0
            ),
            last_public_event=Coalesce(Subquery(public.order_by("-pk").values("pk")[:1]), 0),
        )
        .values(*_TRACKED_COLUMNS.values())
        .order_by()[:1]
    )


# Compiled once per connection: the ORM's compiling of this five-table statement costs more
# than the database's answer to it (layanan/core/compiled.py).
_TRACKED = CompiledQuery(_tracked_query, placeholder="tracking-code-placeholder")


def tracked_complaint(code: str) -> TrackedComplaint | None:
    """The tracking page's complaint with this (normalised) code, in one statement, or None.
    The requester's identity is not even read."""
    rows = _TRACKED.rows(code)
    if not rows:
        return None
    row = rows[0]
    values = {name: row[column] for name, column in _TRACKED_COLUMNS.items()}
    for name in _TEXT_OR_EMPTY:
        values[name] = values[name] or ""
    return TrackedComplaint(**values)


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


_PUBLIC_EVENTS = CompiledQuery(
    lambda case_id: (
        CaseEvent._base_manager.filter(case_id=case_id, is_internal=False)
        .order_by("at", "pk")
        .values("at", "kind", "new_value", "public_note", "actor_id")
    ),
    placeholder=-7_654_321,
)


def public_timeline(case: Case | TrackedComplaint) -> list[PublicEntry]:
    """The reporter's timeline of ``case``: its non-internal events, oldest first, each with
    its public label, the status it reached and the text written for the reporter (one
    query). Public by nature: read without the unit scope, like the pages that show it."""
    events = [CaseEvent(case_id=case.pk, **row) for row in _PUBLIC_EVENTS.rows(case.pk)]
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
