"""Writes of the front desk: register a visit, call, serve, route, finish (or no-show).

A visit is a ``Case`` made by ``case_create`` (gapless number, tracking code, due time from the
standard's first completion time — for the walk-in standards "Administrasi : 15 Menit" — so the
SLA sweep covers the waiting time). Status mapping (docs/visits.md):

==========  ===========================================================================
desk step   case
==========  ===========================================================================
register    ``received``; ticket drawn, ``arrived_at`` = receipt
call        no status change: a ``visit_called`` event with the desk (calling again is
            allowed and recorded); ``called_at`` is the latest call
serve       ``in_progress`` (``case_transition``, ``case.work``); ``served_at`` = first
            service; the admin-time deadline is met, the case is then held to the standard's
            next completion time ("Konsultasi: sesuai materi" — no fixed deadline)
route       ``assigned_unit`` = a Bagian of the unit, ``routed`` event (``visit.route``)
finish      ``answered`` → ``closed`` with the outcome (``visit.finish``)
no-show     ``withdrawn`` (``case_transition``, ``case.work``)
==========  ===========================================================================

Answering and closing complaints is the complaint officer's; a visit's outcome is recorded by
whoever served it (the front desk, or the Bagian's handler it was routed to), so ``finish``
checks ``visit.finish`` and moves the case through the same transitions the status machine
allows, writing the same ``status`` events.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.permissions import ensure_can
from layanan.cases.deadlines import case_recompute_due, case_set_duration
from layanan.cases.events import case_event_record
from layanan.cases.models import OPEN_STATUSES, Case, CaseKind, Channel, Status
from layanan.cases.services import case_assign, case_create
from layanan.cases.workflow import case_transition
from layanan.catalog.models import ServiceKind, ServiceStandard
from layanan.core.errors import ApplicationError, Conflict
from layanan.core.models import Unit
from layanan.core.phones import phone_or_none, requester_phone
from layanan.surveys.services import survey_invitation_for_visit

from .models import QueueCounter, VisitDetail, Visitor

if TYPE_CHECKING:
    from layanan.accounts.actors import AnyActor
    from layanan.catalog.models import Duration

#: Kinds of published standards a guest may be queued for (facility and audience requests have
#: their own forms).
WALK_IN_KINDS = (ServiceKind.CONSULTATION, ServiceKind.OTHER)
GENERAL_PREFIX = "U"  # tickets of visits without a service ("umum")
PREFIXES = "ABCDEFGHJKMNPQRSTVWXYZ"

NAME_MAX, ORIGIN_MAX, PURPOSE_MAX, DESK_MAX, OUTCOME_MAX = 150, 200, 2000, 40, 5000
EMAIL_MAX = 254


# --- reads the writes need ---------------------------------------------------------------------


def walk_in_services(unit: Unit) -> list[ServiceStandard]:
    """The unit's published walk-in services, in catalogue order (the ticket letters A, B, …
    follow this order)."""
    return list(
        ServiceStandard.objects.published()
        .filter(unit=unit, service_kind__in=WALK_IN_KINDS)
        .select_related("published_version")
        .order_by("position", "pk")
    )


def ticket_prefix(standard: ServiceStandard | None, services: list[ServiceStandard]) -> str:
    """The letter of the queue tickets of ``standard``: by its place among the unit's
    ``services``; the general prefix for a visit without one (or a service not listed)."""
    if standard is None:
        return GENERAL_PREFIX
    for index, candidate in enumerate(services):
        if candidate.pk == standard.pk:
            return PREFIXES[index % len(PREFIXES)]
    return GENERAL_PREFIX


def visitor_find(unit: Unit, phone: str) -> Visitor | None:
    """The returning visitor of ``unit`` with this phone number (any spelling), or None."""
    stored = phone_or_none(phone)
    if stored is None:
        return None
    return Visitor.objects.filter(unit=unit, phone=stored).first()


def allocate_ticket(*, unit: Unit, standard: ServiceStandard | None, day: dt.date) -> int:
    """The next queue number of the unit's service on ``day``, gapless: the counter row stays
    locked until the visit's transaction ends (see cases/numbering.py)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_ticket must run inside the visit's transaction")
    key = standard.pk if standard is not None else 0
    counter, _created = QueueCounter.objects.get_or_create(unit=unit, service_key=key, day=day)
    counter = QueueCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# --- writes --------------------------------------------------------------------------------------


@transaction.atomic
def visit_register(
    *,
    actor: AnyActor,
    unit: Unit,
    standard: ServiceStandard | None,
    name: str,
    phone: str,
    origin: str = "",
    purpose: str = "",
    requirements: list[str] | None = None,
    channel: str = Channel.FACE_TO_FACE,
    email: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Register a guest: a case (``consultation`` for a consultation service, else ``visit``)
    with its ticket and its survey invitation (the QR code on the ticket). ``actor`` None is
    the public kiosk. The visitor is found (or created) by phone within the unit and keeps the
    latest name and origin. ``email`` (optional) is where the survey link goes at the end."""
    if getattr(actor, "is_authenticated", False):
        ensure_can(actor, "case.create", unit)
    now = now or timezone.now()
    name = " ".join((name or "").split())[:NAME_MAX]
    if not name:
        raise ApplicationError(_("Please give the guest's name."), "name_required")
    phone = requester_phone(phone, required=True)
    origin = " ".join((origin or "").split())[:ORIGIN_MAX]
    purpose = (purpose or "").strip()[:PURPOSE_MAX]
    email = (email or "").strip()[:EMAIL_MAX]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                _("Enter a valid e-mail address, or leave it empty."), "invalid_email"
            ) from None
    services = walk_in_services(unit)
    if standard is not None and standard.pk not in {s.pk for s in services}:
        raise ApplicationError(_("This service is not offered at this desk."), "unknown_service")
    if not purpose:
        if standard is None:
            raise ApplicationError(_("Please say what the visit is about."), "purpose_required")
        purpose = standard.name
    version = standard.published_version if standard is not None else None
    offered = list(version.requirements) if version is not None else []
    chosen = list(dict.fromkeys(requirements or []))
    unknown = [item for item in chosen if item not in offered]
    if unknown:
        raise ApplicationError(
            _("“%(item)s” is not a requirement of this service.") % {"item": unknown[0]},
            "unknown_requirement",
        )
    chosen = [item for item in offered if item in chosen]  # the standard's order

    visitor, created = Visitor.objects.get_or_create(
        unit=unit, phone=phone, defaults={"name": name, "origin": origin}
    )
    if not created and (visitor.name != name or (origin and visitor.origin != origin)):
        visitor.name = name
        visitor.origin = origin or visitor.origin
        visitor.save(update_fields=["name", "origin", "updated_at"])

    day = timezone.localtime(now).date()
    number = allocate_ticket(unit=unit, standard=standard, day=day)
    ticket = f"{ticket_prefix(standard, services)}-{number:03d}"
    kind = (
        CaseKind.CONSULTATION
        if standard is not None and standard.service_kind == ServiceKind.CONSULTATION
        else CaseKind.VISIT
    )
    case = case_create(
        actor=actor,
        kind=kind,
        unit=unit,
        channel=channel,
        received_at=now,
        standard=standard,
        event_note=_("Ticket %(ticket)s") % {"ticket": ticket},
        subject=(standard.name if standard is not None else purpose)[:200],
        description=purpose,
        requester_name=name,
        requester_phone=phone,
        requester_email=email,
        requester_organisation=origin,
    )
    VisitDetail.objects.create(
        case=case,
        visitor=visitor,
        service=standard,
        origin=origin,
        purpose=purpose,
        requirements_checked=chosen,
        queue_day=day,
        queue_number=number,
        ticket=ticket,
        arrived_at=now,
    )
    survey_invitation_for_visit(case)
    return case


def _lock(case: Case) -> tuple[Case, VisitDetail]:
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    return case, VisitDetail.objects.select_for_update().get(case=case)


def _ensure_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise Conflict(
            _("This visit is “%(status)s”: nothing more can be done.")
            % {"status": Status(case.status).label},
            "visit_finished",
        )


@transaction.atomic
def visit_call(
    *, actor: AnyActor, case: Case, desk: str, now: dt.datetime | None = None
) -> VisitDetail:
    """Call the ticket to ``desk`` (shown on the display). Calling again is allowed."""
    ensure_can(actor, "case.work", case)
    case, visit = _lock(case)
    _ensure_open(case)
    if visit.served_at is not None:
        raise Conflict(_("This guest is already being served."), "already_served")
    desk = " ".join((desk or "").split())[:DESK_MAX]
    if not desk:
        raise ApplicationError(_("Say which desk calls the guest."), "desk_required")
    visit.called_at = now or timezone.now()
    visit.desk = desk
    visit.save(update_fields=["called_at", "desk"])
    case_event_record(
        case=case,
        actor=actor,
        kind="visit_called",
        new=f"{visit.ticket} → {desk}",
        at=visit.called_at,
    )
    return visit


@transaction.atomic
def visit_serve(
    *, actor: AnyActor, case: Case, desk: str = "", now: dt.datetime | None = None
) -> VisitDetail:
    """First service: the administration time ends here (``served_at``)."""
    ensure_can(actor, "case.work", case)
    case, visit = _lock(case)
    _ensure_open(case)
    if visit.served_at is not None:
        raise Conflict(_("This guest is already being served."), "already_served")
    now = now or timezone.now()
    visit.served_at = max(now, visit.arrived_at)
    visit.called_at = visit.called_at or visit.served_at
    desk = " ".join((desk or "").split())[:DESK_MAX]
    visit.desk = desk or visit.desk
    visit.save(update_fields=["served_at", "called_at", "desk"])
    if case.status != Status.IN_PROGRESS:
        case = case_transition(
            actor=actor,
            case=case,
            to=Status.IN_PROGRESS,
            note=_("Served at %(desk)s") % {"desk": visit.desk} if visit.desk else "",
        )
    # The administration time is met; from now on the case is held to the standard's next
    # completion time ("Konsultasi : sesuai materi konsultasi": no fixed deadline).
    case_set_duration(case, _service_duration(case))
    case_recompute_due(case=case, save=True)
    return visit


def _service_duration(case: Case) -> Duration | None:
    version = case.standard_version
    if version is None:
        return None
    times = list(version.completion_times.all())
    primary = version.primary_completion_time()
    rest = [ct for ct in times if primary is None or ct.pk != primary.pk]
    return rest[0].as_duration() if rest else None


@transaction.atomic
def visit_route(*, actor: AnyActor, case: Case, division: Unit, note: str = "") -> Case:
    """Route the consultation to a Bagian of the unit (its handlers then see and finish it)."""
    ensure_can(actor, "visit.route", case)
    case, visit = _lock(case)
    _ensure_open(case)
    case_assign(
        actor=actor,
        case=case,
        division=division,
        refusal=_("A visit can only be routed to a division of its own unit."),
        divisions_only=True,
        event="routed",
        note=note.strip(),
        internal=False,
    )
    visit.routed_to = division
    visit.save(update_fields=["routed_to"])
    return case


@transaction.atomic
def visit_finish(
    *, actor: AnyActor, case: Case, outcome: str, now: dt.datetime | None = None
) -> VisitDetail:
    """Record the outcome and close the visit (answered → closed)."""
    ensure_can(actor, "visit.finish", case)
    case, visit = _lock(case)
    _ensure_open(case)
    outcome = (outcome or "").strip()[:OUTCOME_MAX]
    if not outcome:
        raise ApplicationError(_("Please record the outcome of the visit."), "outcome_required")
    if visit.served_at is None:
        raise Conflict(_("Serve the guest before recording the outcome."), "not_served")
    now = now or timezone.now()
    visit.outcome = outcome
    visit.finished_at = now
    visit.save(update_fields=["outcome", "finished_at"])
    for to, note in ((Status.ANSWERED, outcome), (Status.CLOSED, "")):
        case = case_transition(
            actor=actor, case=case, to=to, note=note, permission="visit.finish", at=now
        )
    return visit


@transaction.atomic
def visit_no_show(*, actor: AnyActor, case: Case, now: dt.datetime | None = None) -> VisitDetail:
    """The guest did not come when called (or left): the visit is withdrawn."""
    ensure_can(actor, "case.work", case)
    case, visit = _lock(case)
    _ensure_open(case)
    if visit.served_at is not None:
        raise Conflict(_("This guest is already being served."), "already_served")
    visit.finished_at = now or timezone.now()
    visit.save(update_fields=["finished_at"])
    case_transition(actor=actor, case=case, to=Status.WITHDRAWN, note=_("Did not come when called"))
    return visit
