"""Facility request services: receipt as a case, approval without overlaps, refusal, cancel."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from layanan.accounts.actors import SYSTEM
from layanan.cases.deadlines import standard_duration
from layanan.cases.models import CaseKind, Status
from layanan.catalog.models import ServiceKind, ServiceStandard
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.facilities import services
from layanan.facilities.models import BookingDetail, BookingState
from layanan.facilities.services import booking_approve, booking_cancel, booking_refuse
from layanan.notify.models import OutboxMessage
from layanan.workdays.deadlines import deadline
from tests.dates import at

pytestmark = pytest.mark.django_db


def test_request_is_a_facility_case_with_number_code_and_the_standards_deadline(
    umum, room, monday, file_request
):
    """A request becomes a case of kind facility of the room's unit, numbered UMUM/FAS/…, with a
    tracking code and the deadline of Biro Umum's seed standard (2 days)."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    standard = ServiceStandard.objects.get(unit=umum, service_kind=ServiceKind.FACILITY)
    case = file_request(room, at(monday, 9), at(monday, 11))
    assert case.kind == CaseKind.FACILITY
    assert case.unit == umum and case.standard == standard
    assert case.number.startswith("UMUM/FAS/")
    assert len(case.public_code) >= 10
    duration = standard_duration(standard)
    assert duration is not None and duration.value == 2
    assert case.due_at == deadline(case.received_at, duration, unit=umum)
    assert case.booking.state == BookingState.REQUESTED
    assert case.events.filter(kind="received").count() == 1


def test_approval_moves_the_case_and_records_who_and_when(room, monday, file_request, umum_head):
    """Approving answers the case (verified → answered), stores the decider and the time, and
    writes the transitions as events by that person."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    booking = booking_approve(actor=umum_head, case=case, note="Kunci di pos satpam")
    case.refresh_from_db()
    assert booking.state == BookingState.APPROVED
    assert booking.decided_by == umum_head and booking.decided_at is not None
    assert case.status == Status.ANSWERED and case.answered_at is not None
    statuses = list(case.events.filter(kind="status").values_list("new_value", "actor"))
    assert statuses == [(Status.VERIFIED, umum_head.pk), (Status.ANSWERED, umum_head.pk)]


def test_overlapping_approval_is_refused_naming_the_conflicting_booking(
    room, monday, file_request, umum_head
):
    """Two overlapping requests may both wait, but only one can be approved: the second approval
    fails with a message naming the first request's number and times, and nothing changes."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(room, at(monday, 10), at(monday, 12))
    booking_approve(actor=umum_head, case=first)
    with pytest.raises(Conflict) as exc:
        booking_approve(actor=umum_head, case=second)
    assert exc.value.code == "booking_overlap"
    assert first.number in exc.value.message
    assert "09.00" in exc.value.message and "11.00" in exc.value.message
    second.refresh_from_db()
    assert second.booking.state == BookingState.REQUESTED
    assert second.status == Status.RECEIVED


def test_back_to_back_bookings_are_both_approved(room, monday, file_request, umum_head):
    """Ranges are half-open: 09–11 and 11–13 of one room do not overlap."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(room, at(monday, 11), at(monday, 13))
    booking_approve(actor=umum_head, case=first)
    booking_approve(actor=umum_head, case=second)
    assert BookingDetail.objects.filter(state=BookingState.APPROVED).count() == 2


def test_other_resources_and_refused_bookings_do_not_block(
    room, hall, monday, file_request, umum_head
):
    """The rule is per resource and about approved bookings only."""
    in_hall = file_request(hall, at(monday, 9), at(monday, 11))
    refused = file_request(room, at(monday, 9), at(monday, 11))
    wanted = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=in_hall)
    booking_refuse(actor=umum_head, case=refused, reason="Bentrok dengan acara gubernur")
    booking_approve(actor=umum_head, case=wanted)


def test_cancelling_an_approved_booking_frees_the_slot(room, monday, file_request, umum_head):
    """After cancelling, the same slot can be approved for someone else; the cancelled case is
    closed with the reason in its history."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=first)
    booking_cancel(actor=umum_head, case=first, reason="Acara ditunda")
    first.refresh_from_db()
    assert first.booking.state == BookingState.CANCELLED
    assert first.status == Status.CLOSED
    assert "Acara ditunda" in first.events.last().note
    booking_approve(actor=umum_head, case=second)


def test_cancelling_a_pending_request_withdraws_it(room, monday, file_request, umum_front):
    """The front desk may withdraw a pending request (the requester called), not decide."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    with pytest.raises(NotPermitted):
        booking_approve(actor=umum_front, case=case)
    booking_cancel(actor=umum_front, case=case)
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_the_system_actor_can_decide_and_is_stored_as_no_user(room, monday, file_request):
    """SYSTEM (a management command, a task) passes the permission check; its decisions store
    no decider instead of failing to put a non-user in the ``decided_by`` foreign key."""
    approved = file_request(room, at(monday, 9), at(monday, 11))
    refused = file_request(room, at(monday, 13), at(monday, 14))
    booking = booking_approve(actor=SYSTEM, case=approved)
    assert booking.state == BookingState.APPROVED and booking.decided_by is None
    booking = booking_refuse(actor=SYSTEM, case=refused, reason="Ruangan dipakai")
    assert booking.state == BookingState.REFUSED and booking.decided_by is None


def test_refusal_needs_a_reason_and_is_final(room, monday, file_request, umum_head):
    """A refusal without reason is rejected; after a refusal the request cannot be approved."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    with pytest.raises(ApplicationError) as exc:
        booking_refuse(actor=umum_head, case=case, reason="  ")
    assert exc.value.code == "reason_required"
    booking_refuse(actor=umum_head, case=case, reason="Ruangan sedang direnovasi")
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    with pytest.raises(Conflict):
        booking_approve(actor=umum_head, case=case)


def test_other_units_staff_cannot_decide(room, monday, file_request, ekon_officer):
    """The complaint officer of Biro Perekonomian has no say over Biro Umum's rooms."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    for action in (booking_approve, booking_cancel):
        with pytest.raises(NotPermitted):
            action(actor=ekon_officer, case=case)
    with pytest.raises(NotPermitted):
        booking_refuse(actor=ekon_officer, case=case, reason="x")


def test_decisions_queue_an_email_to_the_requester(room, monday, file_request, umum_head):
    """Approval and refusal each queue one e-mail in the outbox, in Indonesian, with the
    facility, the time and the link to the request's page."""
    approved = file_request(room, at(monday, 9), at(monday, 11))
    refused = file_request(room, at(monday, 13), at(monday, 14), requester_email="b@example.org")
    booking_approve(actor=umum_head, case=approved)
    booking_refuse(actor=umum_head, case=refused, reason="Ruangan dipakai pimpinan")
    messages = {m.recipient: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {"siti@example.org", "b@example.org"}
    ok = messages["siti@example.org"]
    assert "disetujui" in ok.subject.lower()
    assert room.name in ok.body and "/fasilitas/permohonan/" in ok.body
    assert "Ruangan dipakai pimpinan" in messages["b@example.org"].body


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ((9, 0), (9, 0), "ends_before_start"),
        ((11, 0), (9, 0), "ends_before_start"),
    ],
)
def test_invalid_ranges_are_refused(room, monday, file_request, start, end, code):
    """The end must be after the start."""
    with pytest.raises(ApplicationError) as exc:
        file_request(room, at(monday, *start), at(monday, *end))
    assert exc.value.code == code


def test_past_and_over_capacity_requests_are_refused(room, file_request, monday):
    """A start in the past, or more participants than the room holds, is refused."""
    yesterday = monday - dt.timedelta(days=14)
    with pytest.raises(ApplicationError) as exc:
        file_request(room, at(yesterday, 9), at(yesterday, 10))
    assert exc.value.code == "in_the_past"
    with pytest.raises(ApplicationError) as exc:
        file_request(room, at(monday, 9), at(monday, 10), participants=50)
    assert exc.value.code == "over_capacity"


def test_a_slot_already_approved_is_refused_at_request_time(room, monday, file_request, umum_head):
    """The public sees at once that an approved booking holds the slot (times, no number)."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=first)
    with pytest.raises(Conflict) as exc:
        file_request(room, at(monday, 10), at(monday, 12))
    assert exc.value.code == "slot_taken"
    assert first.number not in exc.value.message


def test_office_hours_are_only_a_warning(room, monday, file_request):
    """A request in the evening is accepted; it is flagged as outside office hours."""
    case = file_request(room, at(monday, 18), at(monday, 21))
    booking = case.booking
    assert services.outside_office_hours(
        resource=room, starts_at=booking.starts_at, ends_at=booking.ends_at
    )
    assert not services.outside_office_hours(
        resource=room, starts_at=at(monday, 9), ends_at=at(monday, 11)
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no exclusion constraint")
def test_on_sqlite_the_service_is_the_guard(room, monday, file_request):
    """On SQLite the database accepts overlapping approved rows; only the service refuses."""
    a = file_request(room, at(monday, 9), at(monday, 11))
    b = file_request(room, at(monday, 10), at(monday, 12))
    BookingDetail.objects.filter(case__in=[a, b]).update(state=BookingState.APPROVED)
    assert BookingDetail.objects.filter(state=BookingState.APPROVED).count() == 2
