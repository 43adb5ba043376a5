"""Writes for facility requests: receive a request, approve, refuse, cancel.

Every change goes through ``case_transition`` (status, event with who and when, in the same
transaction); the requester hears about approvals, refusals and cancellations of an approved
booking by e-mail through the outbox. Status mapping (see docs/bookings.md):

==============  =====================================================================
booking state   case status
==============  =====================================================================
requested       received (due by the standard's completion time: Biro Umum, 2 days)
approved        verified → answered (the decision is the answer; the clock stops)
refused         rejected (reason required, shown to the requester)
cancelled       withdrawn (while awaiting decision) or closed (after approval)
used            closed (staff: the facility was used as approved; the case ends)
not_used        closed (staff: nobody came — a no-show, recorded as such)
==============  =====================================================================

Approval and refusal issue the numbered notice PDF (``notices.py``) in the same transaction;
the requester gets it by e-mail (attached) or, with only a telephone number, by WhatsApp (a
link to the status page, where the notice is downloaded with the tracking code).

Overlaps: ``booking_approve`` locks the resource row (``SELECT … FOR UPDATE``), so approvals of
one resource queue one behind the other, then looks for an approved booking overlapping
``[starts_at, ends_at)``. On PostgreSQL the exclusion constraint is the final guard: its
violation becomes the same ``Conflict`` naming the booking in the way.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import ensure_can
from layanan.cases.events import case_event_record
from layanan.cases.models import FINAL_STATUSES, Case, CaseKind, Channel, Status
from layanan.cases.services import case_create
from layanan.cases.workflow import case_transition
from layanan.catalog.models import ServiceKind, ServiceStandard
from layanan.core.errors import ApplicationError, Conflict

from .formatting import format_moment, format_range
from .models import BookingDetail, BookingState, Resource
from .notices import notice_issue
from .notifications import notify_decision

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

    from layanan.accounts.actors import AnyActor
    from layanan.core.models import Unit

    from .notice_models import FacilityNotice

logger = logging.getLogger("layanan.facilities")

#: The longest single booking (a vehicle for an out-of-town trip, a hall for an event).
MAX_BOOKING_LENGTH = dt.timedelta(days=14)
#: How far ahead a request may be made.
MAX_LEAD_TIME = dt.timedelta(days=366)


# --- reads used by the writes --------------------------------------------------------------------


def approved_overlapping(
    *, resource_id: int, starts_at: dt.datetime, ends_at: dt.datetime, exclude_pk: int | None = None
) -> QuerySet[BookingDetail]:
    """Approved bookings of the resource overlapping the half-open range ``[starts_at, ends_at)``.

    Back-to-back is not an overlap: one ending at 10.00 and one starting at 10.00 both stand.
    """
    qs = BookingDetail.objects.filter(
        resource_id=resource_id,
        state=BookingState.APPROVED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).select_related("case")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("starts_at")


def facility_standard(unit: Unit) -> ServiceStandard | None:
    """The published facility standard of ``unit`` or, failing that, of its nearest ancestor."""
    candidates = list(
        ServiceStandard.objects.published()
        .filter(
            service_kind=ServiceKind.FACILITY,
            unit_id__in=[int(p) for p in unit.path.strip("/").split("/") if p],
        )
        .select_related("unit", "published_version")
    )
    if not candidates:
        return None
    candidates.sort(key=lambda s: (-len(s.unit.path), s.position, s.pk))
    return candidates[0]


def overlap_error(conflict: BookingDetail) -> Conflict:
    """The ``Conflict`` of a booking that overlaps the approved ``conflict``: which resource,
    when, by which request, and what to do."""
    return Conflict(
        _(
            "%(resource)s is already booked from %(start)s to %(end)s by the approved request "
            "%(number)s. Choose another time or resource, or cancel that booking first."
        )
        % {
            "resource": conflict.resource.name,
            "start": format_moment(conflict.starts_at),
            "end": format_moment(conflict.ends_at),
            "number": conflict.case.number,
        },
        "booking_overlap",
        extra={"conflicting_case": conflict.case.number},
    )


# --- validation ----------------------------------------------------------------------------------


def validate_time_range(
    *, resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime
) -> None:
    """Raise ApplicationError (codes: ``ends_before_start``, ``in_the_past``, ``too_long``,
    ``too_far_ahead``) for a range nobody may request."""
    if ends_at <= starts_at:
        raise ApplicationError(_("The end must be after the start."), "ends_before_start")
    if starts_at < now:
        raise ApplicationError(_("The start is in the past."), "in_the_past")
    if ends_at - starts_at > MAX_BOOKING_LENGTH:
        raise ApplicationError(
            _("A booking may last at most %(days)s days.") % {"days": MAX_BOOKING_LENGTH.days},
            "too_long",
        )
    if starts_at - now > MAX_LEAD_TIME:
        raise ApplicationError(_("Requests can be made at most one year ahead."), "too_far_ahead")


def outside_office_hours(
    *, resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    """True when any part of the range falls outside the unit's office hours (a warning only:
    halls are lent for evening events too, but staff should know)."""
    from layanan.workdays.deadlines import Calendar

    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at - dt.timedelta(microseconds=1)).date()
    if first != last:
        return True  # runs overnight
    hours = Calendar.for_unit(resource.unit).hours(first)
    if hours is None:
        return True  # weekend or holiday
    opens, closes = hours
    return starts_at < opens or ends_at > closes


# --- writes --------------------------------------------------------------------------------------


@transaction.atomic
def booking_request_create(
    *,
    actor: AnyActor,
    resource: Resource,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    participants: int | None = None,
    organisation: str = "",
    requester_name: str,
    requester_email: str = "",
    requester_phone: str = "",
    channel: str = Channel.WEB,
    now: dt.datetime | None = None,
    received_at: dt.datetime | None = None,
    letter_number: str = "",
    letter_date: dt.date | None = None,
    letter_uploads: Iterable[UploadedFile] = (),
) -> Case:
    """Receive a facility request: a case of kind ``facility`` with its booking detail.

    The case gets its number, tracking code and the deadline of the unit's facility standard,
    counted from ``received_at`` (staff recording a paper letter give when it arrived; default
    now). ``letter_uploads`` are the request letter (*surat permohonan*, the standard's
    requirement) — the public form's upload or the staff's scan — checked by content and size
    and attached to the case; a request received as a paper letter (channel ``letter``) needs
    its scan. A request for a slot an approved booking already holds is refused at once (the
    message gives the times, not the other request's number: the public form calls this).
    """
    now = now or timezone.now()
    staff = getattr(actor, "is_authenticated", False)
    if staff or channel != Channel.WEB or received_at is not None:
        ensure_can(actor, "case.create", resource)
    if received_at is not None and received_at > now + dt.timedelta(minutes=5):
        raise ApplicationError(_("The time of receipt cannot be in the future."), "future_receipt")
    if channel == Channel.LETTER and not letter_uploads:
        raise ApplicationError(_("Please attach the scanned letter."), "letter_required")
    if not resource.is_active:
        raise ApplicationError(_("This resource takes no requests at the moment."), "inactive")
    validate_time_range(resource=resource, starts_at=starts_at, ends_at=ends_at, now=now)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError(_("Please describe what the facility is for."), "purpose_required")
    requester_name = (requester_name or "").strip()
    if not requester_name:
        raise ApplicationError(_("Please give your name."), "name_required")
    if not (requester_email or requester_phone):
        raise ApplicationError(
            _(
                "Please give an email address or a telephone number so we can tell you "
                "the decision."
            ),
            "contact_required",
        )
    if participants is not None and resource.capacity and participants > resource.capacity:
        raise ApplicationError(
            _("%(resource)s holds at most %(capacity)s people.")
            % {"resource": resource.name, "capacity": resource.capacity},
            "over_capacity",
        )
    taken = approved_overlapping(
        resource_id=resource.pk, starts_at=starts_at, ends_at=ends_at
    ).first()
    if taken is not None:
        raise Conflict(
            _(
                "%(resource)s is already booked from %(start)s to %(end)s. Please choose "
                "another time."
            )
            % {
                "resource": resource.name,
                "start": format_moment(taken.starts_at),
                "end": format_moment(taken.ends_at),
            },
            "slot_taken",
        )
    standard = facility_standard(resource.unit)
    case = case_create(
        actor=actor,
        kind=CaseKind.FACILITY,
        unit=resource.unit,
        channel=channel,
        received_at=received_at or now,
        standard=standard,
        subject=f"{resource.name}: {format_range(starts_at, ends_at)}"[:200],
        description=purpose,
        requester_name=requester_name[:150],
        requester_email=requester_email,
        requester_phone=requester_phone,
        requester_organisation=organisation[:200],
    )
    BookingDetail.objects.create(
        case=case,
        resource=resource,
        starts_at=starts_at,
        ends_at=ends_at,
        participants=participants,
        purpose=purpose,
        organisation=organisation[:200],
        letter_number=(letter_number or "").strip()[:100],
        letter_date=letter_date,
    )
    if letter_uploads:
        from layanan.cases.attachments import attachment_add

        for upload in letter_uploads:
            attachment_add(case=case, upload=upload, actor=actor)
    return case


def lock_resource(resource_id: int) -> None:
    """Take the resource's row lock for the rest of the transaction (serialises approvals)."""
    Resource.objects.select_for_update().filter(pk=resource_id).values_list("pk").first()


def _lock(case: Case) -> BookingDetail:
    return BookingDetail.objects.select_for_update().select_related("resource").get(case=case)


@transaction.atomic
def booking_approve(
    *, actor: AnyActor, case: Case, note: str = "", now: dt.datetime | None = None
) -> BookingDetail:
    """Approve the request; refuse with ``Conflict`` when an approved booking overlaps."""
    ensure_can(actor, "case.verify", case)
    resource_id = BookingDetail.objects.values_list("resource_id", flat=True).get(case=case)
    # Lock order everywhere: resource, then booking, then case — approvals of one resource
    # queue here, so the overlap check below sees every approval committed before it.
    lock_resource(resource_id)
    booking = _lock(case)
    now = now or timezone.now()
    if booking.state != BookingState.REQUESTED:
        raise Conflict(
            _("This request is “%(state)s” and can no longer be approved.")
            % {"state": booking.get_state_display()},
            "invalid_transition",
        )
    if booking.ends_at <= now:
        raise Conflict(_("This booking is already over and cannot be approved."), "in_the_past")
    conflict = approved_overlapping(
        resource_id=booking.resource_id,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        exclude_pk=booking.pk,
    ).first()
    if conflict is not None:
        raise overlap_error(conflict)
    booking.state = BookingState.APPROVED
    booking.decided_by = user_or_none(actor)
    booking.decided_at = now
    booking.reason = note.strip()
    try:
        with transaction.atomic():  # a savepoint: the constraint's error must not poison us
            booking.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    except IntegrityError as exc:
        conflict = approved_overlapping(
            resource_id=booking.resource_id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            exclude_pk=booking.pk,
        ).first()
        if conflict is not None:
            raise overlap_error(conflict) from exc
        raise Conflict(
            _("%(resource)s is already booked at that time.") % {"resource": booking.resource.name},
            "booking_overlap",
        ) from exc
    text = _("Approved: %(resource)s, %(when)s.") % {
        "resource": booking.resource.name,
        "when": format_range(booking.starts_at, booking.ends_at),
    }
    if case.status == Status.RECEIVED:
        case = case_transition(actor=actor, case=case, to=Status.VERIFIED)
    notice = notice_issue(actor=actor, booking=booking)
    case_transition(
        actor=actor,
        case=case,
        to=Status.ANSWERED,
        note=f"{text} {_notice_note(notice)} {note.strip()}".strip(),
    )
    notify_decision(booking)
    return booking


@transaction.atomic
def booking_refuse(
    *, actor: AnyActor, case: Case, reason: str, now: dt.datetime | None = None
) -> BookingDetail:
    """Refuse the request with a reason the requester reads."""
    ensure_can(actor, "case.verify", case)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Please give the reason for the refusal."), "reason_required")
    booking = _lock(case)
    if booking.state != BookingState.REQUESTED:
        raise Conflict(
            _("This request is “%(state)s” and can no longer be refused.")
            % {"state": booking.get_state_display()},
            "invalid_transition",
        )
    booking.state = BookingState.REFUSED
    booking.decided_by = user_or_none(actor)
    booking.decided_at = now or timezone.now()
    booking.reason = reason
    booking.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    notice = notice_issue(actor=actor, booking=booking)
    case_transition(
        actor=actor,
        case=case,
        to=Status.REJECTED,
        note=f"{reason} {_notice_note(notice)}",
        public_note=reason,
    )
    notify_decision(booking)
    return booking


def _notice_note(notice: FacilityNotice) -> str:
    return _("Notice %(number)s.") % {"number": notice.number}


#: What staff record after the approved time: the facility was used, or nobody came.
USE_OUTCOMES = {
    BookingState.USED: "booking_used",
    BookingState.NOT_USED: "booking_not_used",
}


@transaction.atomic
def booking_record_use(
    *, actor: AnyActor, case: Case, used: bool, note: str = "", now: dt.datetime | None = None
) -> BookingDetail:
    """Close an approved booking once its time has begun: ``used`` (the facility was used) or
    not (a no-show). The case ends (``answered`` → ``closed``, ``case.close``) and the outcome
    is its own event on the timeline, by whom and when."""
    ensure_can(actor, "case.close", case)
    booking = _lock(case)
    now = now or timezone.now()
    if booking.state != BookingState.APPROVED:
        raise Conflict(
            _("This request is “%(state)s”: only an approved booking can be closed this way.")
            % {"state": booking.get_state_display()},
            "invalid_transition",
        )
    if booking.starts_at > now:
        raise Conflict(
            _("The booking has not begun yet (%(start)s).")
            % {"start": format_moment(booking.starts_at)},
            "not_begun",
        )
    booking.state = BookingState.USED if used else BookingState.NOT_USED
    booking.save(update_fields=["state"])
    case = Case.objects.select_for_update().get(pk=case.pk)
    note = (note or "").strip()
    case_event_record(
        case=case,
        actor=actor,
        kind=USE_OUTCOMES[booking.state],
        new=booking.get_state_display(),
        note=note,
        internal=True,
        at=now,
    )
    case_transition(actor=actor, case=case, to=Status.CLOSED, note=note)
    return booking


@transaction.atomic
def booking_cancel(*, actor: AnyActor, case: Case, reason: str = "") -> BookingDetail:
    """Cancel a pending or approved booking; the slot is free again at once.

    A pending request is withdrawn (``case.work``); cancelling an approved booking closes the
    case and needs the right to close (``case.close``).
    """
    ensure_can(actor, "case.work", case)
    reason = (reason or "").strip()
    booking = _lock(case)
    if booking.state not in (BookingState.REQUESTED, BookingState.APPROVED):
        raise Conflict(
            _("This request is “%(state)s” and cannot be cancelled.")
            % {"state": booking.get_state_display()},
            "invalid_transition",
        )
    was_approved = booking.state == BookingState.APPROVED
    if was_approved:
        ensure_can(actor, "case.close", case)
    note = _("Cancelled: %(resource)s, %(when)s.") % {
        "resource": booking.resource.name,
        "when": format_range(booking.starts_at, booking.ends_at),
    }
    note = f"{note} {reason}".strip()
    booking.state = BookingState.CANCELLED
    booking.reason = reason or booking.reason
    booking.save(update_fields=["state", "reason"])
    case = Case.objects.get(pk=case.pk)
    if case.status in FINAL_STATUSES:
        case_event_record(case=case, actor=actor, kind="booking_cancelled", note=note)
    else:
        to = Status.CLOSED if case.status == Status.ANSWERED else Status.WITHDRAWN
        case_transition(actor=actor, case=case, to=to, note=note)
    if was_approved:
        notify_decision(booking)
    return booking
