"""Front desk services: tickets, returning visitors, admin time, the status mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import CaseEvent, CaseKind, Channel, Status
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.visits.models import VisitDetail, Visitor
from layanan.visits.services import (
    visit_call,
    visit_finish,
    visit_no_show,
    visit_register,
    visit_route,
    visit_serve,
    visitor_find,
)

TZ = timezone.get_default_timezone()


def at(hour, minute=0, second=0):
    # A Wednesday inside office hours.
    return dt.datetime(2026, 3, 11, hour, minute, second, tzinfo=TZ)


def register(actor, unit, standard, **kw):
    data = {
        "name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "origin": "Dinas Sosial Kab. Sambas",
        "purpose": "Konsultasi hibah",
        "requirements": ["Surat Tugas"],
        **kw,
    }
    return visit_register(actor=actor, unit=unit, standard=standard, **data)


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890"]
)
def test_phone_numbers_are_stored_in_e164(kesra_front, org, kesra_walk_in, raw):
    """Every usual spelling of an Indonesian mobile number is stored as the same E.164 on the
    visitor and the visit's case, and finds the returning visitor."""
    unit = org["biro-kesra"]
    case = register(kesra_front, unit, kesra_walk_in, now=at(9), phone=raw)
    assert case.requester_phone == "+6281234567890"
    assert case.visit.visitor.phone == "+6281234567890"
    assert visitor_find(unit, "0812 3456 7890") == case.visit.visitor


@pytest.mark.parametrize("raw", ["", "0812", "call me", "0812345678901234567"])
def test_bad_phone_numbers_are_refused(kesra_front, org, kesra_walk_in, raw):
    """Missing, too short, too long or not digits: a translated error with a stable code, and
    no visit."""
    with pytest.raises(ApplicationError) as exc:
        register(kesra_front, org["biro-kesra"], kesra_walk_in, now=at(9), phone=raw)
    assert exc.value.code == "invalid_phone"
    assert not VisitDetail.objects.exists()


def test_register_creates_a_consultation_case_held_to_the_admin_time(
    kesra_front, org, kesra_walk_in
):
    """A visit for a consultation service is a consultation case with a gapless number, the
    standard's 15-minute due time from arrival, and ticket A-001 for the day."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in, now=at(9))
    visit = case.visit
    assert case.kind == CaseKind.CONSULTATION
    assert case.number == "KESRA/KONS/2026/000001"
    assert case.channel == Channel.FACE_TO_FACE
    assert case.status == Status.RECEIVED
    assert case.due_at == at(9, 15)
    assert (visit.ticket, visit.queue_number, visit.queue_day) == ("A-001", 1, dt.date(2026, 3, 11))
    assert visit.requirements_checked == ["Surat Tugas"]
    assert case.requester_phone == "+6281234567890"


def test_tickets_count_per_service_and_day(kesra_front, org, kesra_walk_in):
    """Each service has its own sequence per day, and a new day starts again at 1."""
    unit = org["biro-kesra"]
    a1 = register(kesra_front, unit, kesra_walk_in, now=at(9))
    a2 = register(kesra_front, unit, kesra_walk_in, now=at(9, 5), phone="081200000002")
    u1 = register(kesra_front, unit, None, now=at(9, 6), phone="081200000003", requirements=[])
    next_day = register(
        kesra_front, unit, kesra_walk_in, now=at(9) + dt.timedelta(days=1), phone="081200000004"
    )
    assert [c.visit.ticket for c in (a1, a2, u1, next_day)] == ["A-001", "A-002", "U-001", "A-001"]
    assert u1.kind == CaseKind.VISIT


def test_returning_visitor_is_found_by_phone_within_the_unit(kesra_front, org, kesra_walk_in):
    """The second visit with the same number (spelt differently) is the same visitor, with the
    latest name; another unit does not find them."""
    unit = org["biro-kesra"]
    first = register(kesra_front, unit, kesra_walk_in, now=at(9))
    second = register(
        kesra_front,
        unit,
        kesra_walk_in,
        now=at(10),
        phone="+62 812 3456 7890",
        name="Siti Aminah, S.Sos",
    )
    assert first.visit.visitor_id == second.visit.visitor_id
    assert Visitor.objects.count() == 1
    found = visitor_find(unit, "0812 3456 7890")
    assert found.name == "Siti Aminah, S.Sos" and found.visits.count() == 2
    assert visitor_find(org["biro-perekonomian"], "0812 3456 7890") is None


def test_admin_time_runs_from_arrival_to_first_service(kesra_front, org, kesra_walk_in):
    """Arrived 09:00:00, called 09:04, served 09:11:30: admin time 11 min 30 s (hand-computed),
    within the 15 minutes; calling does not stop the clock."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in, now=at(9))
    visit_call(actor=kesra_front, case=case, desk="Loket 1", now=at(9, 4))
    visit = VisitDetail.objects.get(pk=case.pk)
    assert visit.admin_time(now=at(9, 6)) == dt.timedelta(minutes=6)
    visit_serve(actor=kesra_front, case=case, now=at(9, 11, 30))
    visit = VisitDetail.objects.get(pk=case.pk)
    assert visit.admin_time() == dt.timedelta(minutes=11, seconds=30)
    assert visit.admin_time(now=at(12)) == dt.timedelta(minutes=11, seconds=30)
    assert visit.admin_limit() == dt.timedelta(minutes=15)
    assert visit.admin_time_exceeded() is False
    assert visit.desk == "Loket 1"


def test_more_than_fifteen_minutes_is_flagged(kesra_front, org, kesra_walk_in):
    """Waiting 15:01 is over the standard's administration time, while waiting and after."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in, now=at(9))
    visit = VisitDetail.objects.get(pk=case.pk)
    assert visit.admin_time_exceeded(now=at(9, 15)) is False
    assert visit.admin_time_exceeded(now=at(9, 15, 1)) is True
    visit_serve(actor=kesra_front, case=case, now=at(9, 16))
    visit = VisitDetail.objects.get(pk=case.pk)
    assert visit.admin_time() == dt.timedelta(minutes=16)
    assert visit.admin_time_exceeded() is True


def test_the_whole_desk_flow_is_on_the_timeline(kesra_front, kesra_handler, org, kesra_walk_in):
    """register → call → serve (in progress) → route to Bina Mental → the Bagian's handler
    records the outcome (answered → closed); every step is an event with who did it."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in)
    visit_call(actor=kesra_front, case=case, desk="Loket 1")
    visit_serve(actor=kesra_front, case=case)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.first_response_at is not None
    assert case.due_at is None  # admin time met; "sesuai materi" has no fixed deadline
    visit_route(actor=kesra_front, case=case, division=org["kesra-bina-mental"])
    case.refresh_from_db()
    assert case.assigned_unit == org["kesra-bina-mental"]
    visit_finish(actor=kesra_handler, case=case, outcome="Dijelaskan syarat hibah keagamaan.")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.answered_at and case.closed_at
    events = list(CaseEvent.objects.filter(case=case).values_list("kind", "new_value", "actor"))
    assert [e[0] for e in events] == [
        "received",
        "visit_called",
        "status",
        "routed",
        "status",
        "status",
    ]
    assert events[-2][1:] == (Status.ANSWERED, kesra_handler.pk)
    assert case.visit.outcome.startswith("Dijelaskan")


def test_route_only_to_a_division_of_the_unit(kesra_front, org, kesra_walk_in):
    """Routing to another bureau's division is refused."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in)
    with pytest.raises(ApplicationError) as exc:
        visit_route(actor=kesra_front, case=case, division=org["ekon-bumd"])
    assert exc.value.code == "foreign_division"


def test_finish_needs_service_and_an_outcome(kesra_front, org, kesra_walk_in):
    """No outcome: refused; not served yet: refused; a finished visit takes no more steps."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in)
    with pytest.raises(Conflict):
        visit_finish(actor=kesra_front, case=case, outcome="x")
    visit_serve(actor=kesra_front, case=case)
    with pytest.raises(ApplicationError) as exc:
        visit_finish(actor=kesra_front, case=case, outcome="  ")
    assert exc.value.code == "outcome_required"
    visit_finish(actor=kesra_front, case=case, outcome="Selesai")
    with pytest.raises(Conflict):
        visit_call(actor=kesra_front, case=case, desk="Loket 1")


def test_no_show_withdraws(kesra_front, org, kesra_walk_in):
    """A guest who does not come when called: the visit is withdrawn."""
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in)
    visit_no_show(actor=kesra_front, case=case)
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_other_units_staff_may_not_act(ekon_officer, kesra_front, org, kesra_walk_in):
    """Another bureau's officer can neither register for Kesra nor call its guests."""
    with pytest.raises(NotPermitted):
        register(ekon_officer, org["biro-kesra"], kesra_walk_in)
    case = register(kesra_front, org["biro-kesra"], kesra_walk_in)
    with pytest.raises(NotPermitted):
        visit_call(actor=ekon_officer, case=case, desk="Loket 1")


def test_requirements_must_come_from_the_standard(kesra_front, org, kesra_walk_in):
    """A requirement the standard does not list is refused, naming it."""
    with pytest.raises(ApplicationError) as exc:
        register(kesra_front, org["biro-kesra"], kesra_walk_in, requirements=["Paspor"])
    assert exc.value.code == "unknown_requirement"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_gapless_tickets(org):
    """Twelve guests registered at the same moment for one service get tickets 1–12, each
    once (the counter row is locked): PostgreSQL only."""
    from django.db import connection

    from tests.concurrency import run_concurrently
    from tests.factories import published_standard

    if connection.vendor != "postgresql":
        pytest.skip("row locking under real concurrency is a PostgreSQL property")
    standard = published_standard(
        standard__unit=org["biro-kesra"], standard__slug="pelayanan-konsultasi"
    )
    counter = iter(range(100))

    def one():
        n = next(counter)
        case = visit_register(
            actor=PUBLIC,
            unit=org["biro-kesra"],
            standard=standard,
            name=f"Tamu {n}",
            phone=f"08120000{n:04d}",
            purpose="Konsultasi",
            channel=Channel.KIOSK,
        )
        return case.visit.queue_number

    numbers = run_concurrently(12, one)
    assert sorted(numbers) == list(range(1, 13))
    assert sorted(VisitDetail.objects.values_list("queue_number", flat=True)) == list(range(1, 13))
