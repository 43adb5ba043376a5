"""PostgreSQL: the exclusion constraint is the final guard, also against concurrent approvals."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from layanan.cases.models import Case
from layanan.core.errors import Conflict
from layanan.facilities import services
from layanan.facilities.models import BookingDetail, BookingState
from layanan.facilities.services import booking_approve
from tests.concurrency import run_concurrently
from tests.dates import at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (exclusion constraint)"
)


@pytest.mark.django_db
def test_the_database_refuses_overlapping_approved_rows(room, monday, file_request):
    """Even written past the service, two approved overlapping rows of one room cannot exist;
    back-to-back ones and overlapping pending ones can."""
    a = file_request(room, at(monday, 9), at(monday, 11))
    b = file_request(room, at(monday, 10), at(monday, 12))
    c = file_request(room, at(monday, 11), at(monday, 13))
    BookingDetail.objects.filter(case=a).update(state=BookingState.APPROVED)
    BookingDetail.objects.filter(case=c).update(state=BookingState.APPROVED)  # back to back
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingDetail.objects.filter(case=b).update(state=BookingState.APPROVED)


@pytest.mark.django_db
def test_constraint_violation_becomes_the_same_clear_error(
    room, monday, file_request, umum_head, monkeypatch
):
    """If the service's own check missed an overlap, the constraint's IntegrityError is turned
    into the Conflict naming the approved booking, and the transaction stays usable."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(room, at(monday, 10), at(monday, 12))
    booking_approve(actor=umum_head, case=first)
    real = services.approved_overlapping
    calls = {"n": 0}

    def blind_first_time(**kwargs):
        calls["n"] += 1
        qs = real(**kwargs)
        return qs.none() if calls["n"] == 1 else qs

    monkeypatch.setattr(services, "approved_overlapping", blind_first_time)
    with pytest.raises(Conflict) as exc:
        booking_approve(actor=umum_head, case=second)
    assert first.number in exc.value.message
    assert BookingDetail.objects.get(case=second).state == BookingState.REQUESTED


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_approvals_exactly_one_wins(room, monday, file_request, umum_head):
    """Eight overlapping requests of one room approved at the same moment from eight
    connections: exactly one is approved, the seven others get the overlap error."""
    cases = [file_request(room, at(monday, 9), at(monday, 11, 30 + i)) for i in range(8)]
    pending = list(cases)

    def approve_one():
        case = Case.objects.get(pk=pending.pop().pk)
        try:
            booking_approve(actor=umum_head, case=case)
            return "approved"
        except Conflict as exc:
            assert exc.code == "booking_overlap"
            return "refused"

    results = run_concurrently(8, approve_one)
    assert sorted(results) == ["approved"] + ["refused"] * 7
    assert BookingDetail.objects.filter(state=BookingState.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_without_the_resource_lock_are_stopped_by_the_constraint(
    room, monday, file_request, umum_head, monkeypatch
):
    """With the service's lock and check both switched off, the database alone still lets only
    one of several concurrent overlapping approvals through."""
    cases = [file_request(room, at(monday, 9), at(monday, 11, 30 + i)) for i in range(6)]
    pending = list(cases)
    real = services.approved_overlapping
    monkeypatch.setattr(services, "approved_overlapping", lambda **kw: real(**kw).none())
    monkeypatch.setattr(services, "lock_resource", lambda resource_id: None)

    def approve_one():
        case = Case.objects.get(pk=pending.pop().pk)
        try:
            booking_approve(actor=umum_head, case=case)
            return "approved"
        except Conflict:
            return "refused"

    results = run_concurrently(6, approve_one)
    assert results.count("approved") == 1
    assert BookingDetail.objects.filter(state=BookingState.APPROVED).count() == 1
