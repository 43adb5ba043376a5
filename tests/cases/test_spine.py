"""The case spine: gapless numbers under concurrency, unguessable codes, the status machine,
events for every change (and none for a refused one), pauses that stop the clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseEvent, CaseKind, Channel, Status
from layanan.cases.numbering import (
    CODE_ALPHABET,
    CODE_LENGTH,
    format_public_code,
    normalise_public_code,
)
from layanan.cases.services import case_create
from layanan.cases.workflow import case_transition
from layanan.core.errors import Conflict, NotPermitted
from layanan.workdays.durations import Duration

from ..concurrency import run_concurrently

WIB = ZoneInfo("Asia/Pontianak")
FIVE_WORKING_DAYS = Duration(value=5, unit="working_days", text="5 hari kerja")


def make_case(unit, actor=PUBLIC, received_at=None, duration=FIVE_WORKING_DAYS, **fields):
    return case_create(
        actor=actor,
        kind=CaseKind.COMPLAINT,
        unit=unit,
        channel=Channel.WEB,
        received_at=received_at,
        duration=duration,
        subject="Antrean lama",
        **fields,
    )


@pytest.mark.django_db
def test_numbers_are_per_unit_kind_and_year(org):
    """Numbers read UNIT/KIND/YEAR/sequence and count separately per unit and year."""
    kesra, ekon = org["biro-kesra"], org["biro-perekonomian"]
    a = make_case(kesra, received_at=dt.datetime(2026, 3, 2, 9, tzinfo=WIB))
    b = make_case(kesra, received_at=dt.datetime(2026, 3, 2, 10, tzinfo=WIB))
    c = make_case(ekon, received_at=dt.datetime(2026, 3, 2, 10, tzinfo=WIB))
    d = make_case(kesra, received_at=dt.datetime(2027, 1, 4, 10, tzinfo=WIB))
    assert [a.number, b.number, c.number, d.number] == [
        "KESRA/ADU/2026/000001",
        "KESRA/ADU/2026/000002",
        "EKON/ADU/2026/000001",
        "KESRA/ADU/2027/000001",
    ]


@pytest.mark.django_db
def test_a_rolled_back_case_gives_its_number_back(org):
    """A creation that fails after allocating leaves no gap in the sequence."""
    unit = org["biro-kesra"]
    received = dt.datetime(2026, 3, 2, 9, tzinfo=WIB)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(unit, received_at=received)
        raise RuntimeError("crash after the case was written")
    assert Case.objects.count() == 0
    assert make_case(unit, received_at=received).number.endswith("/000001")


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_creations_give_sixteen_gapless_numbers(org):
    """16 writers at once on PostgreSQL: 16 distinct numbers 1..16, none lost."""
    if connection.vendor != "postgresql":
        pytest.skip("row locking under real concurrency is a PostgreSQL property")
    unit = org["biro-kesra"]
    received = dt.datetime(2026, 5, 4, 9, tzinfo=WIB)
    numbers = run_concurrently(16, lambda: make_case(unit, received_at=received).number)
    assert sorted(numbers) == [f"KESRA/ADU/2026/{i:06d}" for i in range(1, 17)]


@pytest.mark.django_db
def test_public_codes_are_long_random_and_forgiving(org):
    """Codes have ~59 bits from an unambiguous alphabet; typed variants are accepted."""
    codes = {make_case(org["biro-kesra"]).public_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == CODE_LENGTH >= 10
        assert set(code) <= set(CODE_ALPHABET)
    code = codes.pop()
    assert normalise_public_code(format_public_code(code).lower()) == code


@pytest.mark.django_db
def test_deadline_is_set_from_receipt_on_the_working_day_calendar(org):
    """Received Wed 11 Mar 2026 10:00 + 5 working days → Wed 25 Mar 16:00 (Nyepi, Idul Fitri
    and their cuti bersama skipped; hand-computed from the 2026 SKB list)."""
    from layanan.workdays.services import holidays_sync

    holidays_sync(year=2026)
    case = make_case(org["biro-kesra"], received_at=dt.datetime(2026, 3, 11, 10, tzinfo=WIB))
    assert case.due_at == dt.datetime(2026, 3, 25, 16, 0, tzinfo=WIB)
    event = case.events.get()
    assert (event.kind, event.new_value) == ("received", Status.RECEIVED)


@pytest.mark.django_db
def test_transitions_record_who_and_when(org, kesra_officer, kesra_handler):
    """Each change writes an event with actor, time and old → new; time fields follow."""
    case = make_case(org["kesra-bina-mental"])
    case = case_transition(actor=kesra_officer, case=case, to=Status.VERIFIED)
    assert case.first_response_at is not None
    case = case_transition(actor=kesra_handler, case=case, to=Status.IN_PROGRESS)
    case = case_transition(actor=kesra_handler, case=case, to=Status.ANSWERED, note="Jawaban")
    assert case.answered_at is not None
    case = case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    assert case.closed_at is not None
    events = list(case.events.values_list("kind", "old_value", "new_value", "actor__username"))
    assert events == [
        ("received", "", "received", None),
        ("status", "received", "verified", kesra_officer.username),
        ("status", "verified", "in_progress", kesra_handler.username),
        ("status", "in_progress", "answered", kesra_handler.username),
        ("status", "answered", "closed", kesra_officer.username),
    ]


@pytest.mark.django_db
def test_a_refused_transition_leaves_no_trace(org, kesra_officer):
    """A transition the machine forbids raises Conflict and writes no event, no change."""
    case = make_case(org["biro-kesra"])
    with pytest.raises(Conflict):
        case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_another_units_officer_cannot_act(org, ekon_officer, auditor):
    """Officers of a sibling bureau and read-only auditors cannot move a Kesra case."""
    case = make_case(org["biro-kesra"])
    for actor in (ekon_officer, auditor):
        with pytest.raises(NotPermitted):
            case_transition(actor=actor, case=case, to=Status.VERIFIED)
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_waiting_on_the_requester_stops_the_clock(org, kesra_officer):
    """Mon 2 Mar 2026 10:00 + 5 working days is Mon 9 Mar 16:00; paused Tue 3 Mar 08:00 →
    Wed 4 Mar 08:00 touches two working days (Tue, Wed), so it moves to Wed 11 Mar 16:00."""
    from layanan.workdays.services import holidays_sync

    holidays_sync(year=2026)
    case = make_case(org["biro-kesra"], received_at=dt.datetime(2026, 3, 2, 10, tzinfo=WIB))
    assert case.due_at == dt.datetime(2026, 3, 9, 16, 0, tzinfo=WIB)
    with time_machine.travel(dt.datetime(2026, 3, 3, 8, tzinfo=WIB), tick=False):
        case = case_transition(actor=kesra_officer, case=case, to=Status.WAITING)
    assert case.paused_since is not None
    with time_machine.travel(dt.datetime(2026, 3, 4, 8, tzinfo=WIB), tick=False):
        case = case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    assert case.paused_since is None
    assert case.due_at == dt.datetime(2026, 3, 11, 16, 0, tzinfo=WIB)


@pytest.mark.django_db
def test_reopening_is_limited_to_the_window(org, kesra_officer, kesra_handler):
    """A closed case may be reopened within 14 days, not after. (The handler of the division
    the case is assigned to may work it.)"""
    case = make_case(org["biro-kesra"], assigned_unit=org["kesra-bina-mental"])
    for actor, to in (
        (kesra_officer, Status.VERIFIED),
        (kesra_handler, Status.ANSWERED),
        (kesra_officer, Status.CLOSED),
    ):
        case = case_transition(actor=actor, case=case, to=to)
    later = case.closed_at + dt.timedelta(days=15)
    with time_machine.travel(later, tick=False), pytest.raises(Conflict):
        case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    case = case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    assert (case.status, case.reopen_count, case.closed_at) == (Status.IN_PROGRESS, 1, None)
    assert case.events.last().kind == "reopened"


@pytest.mark.django_db
def test_anonymous_cases_cannot_hold_an_identity(org):
    """The database itself refuses an anonymous case with a name, email or phone."""
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        make_case(org["biro-kesra"], is_anonymous=True, requester_name="Budi")


@pytest.mark.django_db
def test_the_requester_may_reopen_within_the_window_with_a_reason(org, kesra_officer):
    """The reporter (no user account) reopens a closed case within 14 days, giving a reason;
    the public event has no actor. Without a reason, on an open case or after the window,
    nothing changes and no event is written."""
    from layanan.cases.workflow import case_reopen_by_requester
    from layanan.core.errors import ApplicationError

    case = make_case(org["biro-kesra"])
    for to in (Status.VERIFIED, Status.ANSWERED):
        with pytest.raises(Conflict):
            case_reopen_by_requester(case=case, reason="Belum selesai")
        case = case_transition(actor=kesra_officer, case=case, to=to)
    case = case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    events = case.events.count()
    with pytest.raises(ApplicationError):
        case_reopen_by_requester(case=case, reason="   ")
    with (
        time_machine.travel(case.closed_at + dt.timedelta(days=15), tick=False),
        pytest.raises(Conflict),
    ):
        case_reopen_by_requester(case=case, reason="Belum selesai")
    assert case.events.count() == events

    case = case_reopen_by_requester(case=case, reason="Jawaban belum menjawab pertanyaan saya.")
    assert (case.status, case.reopen_count, case.closed_at) == (Status.IN_PROGRESS, 1, None)
    event = case.events.last()
    assert (event.kind, event.actor, event.is_internal) == ("reopened", None, False)
    # The requester's own words, shown back to them (public), not a staff note.
    assert event.public_note == "Jawaban belum menjawab pertanyaan saya." and event.note == ""
