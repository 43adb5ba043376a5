"""Visits do not flood anyone: the SLA sweep leaves visits and walk-in consultations to the
desk's own 15-minute flag, while a complaint in the same sweeps still warns and escalates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseKind, Channel, SlaState
from layanan.cases.services import case_create
from layanan.cases.sla import sla_sweep
from layanan.notify.models import OutboxMessage
from layanan.visits.services import visit_finish, visit_register, visit_serve
from layanan.workdays.durations import Duration

WIB = ZoneInfo("Asia/Pontianak")
MONDAY = dt.date(2026, 12, 7)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(MONDAY.year, MONDAY.month, MONDAY.day, hour, minute, tzinfo=WIB)


def test_the_measured_morning_queues_no_email(
    org, kesra_front, kesra_officer, kesra_head, kesra_walk_in
):
    """The issue's measurement: ten guests registered at 09:00 on a Monday, swept at 09:11 and
    09:40 — no mail (it was 10 "due soon" then 20 "overdue"); the desk still flags them."""
    cases = [
        visit_register(
            actor=kesra_front,
            unit=org["biro-kesra"],
            standard=kesra_walk_in,
            name=f"Tamu {i}",
            phone=f"08123450{i:04d}",
            now=at(9),
        )
        for i in range(10)
    ]
    assert all(c.due_at == at(9, 15) for c in cases)  # the deadline itself is kept
    for moment in (at(9, 11), at(9, 40)):
        report = sla_sweep(now=moment)
        assert report.notifications == 0 and report.due_soon == 0 and report.overdue == 0
    assert not OutboxMessage.objects.filter(kind__startswith="sla_").exists()
    visit = Case.objects.get(pk=cases[0].pk).visit
    assert visit.admin_time_exceeded(at(9, 40))  # the desk's own flag covers the wait


def test_a_busy_day_of_visits_sends_nothing_while_a_complaint_escalates(
    org, kesra_front, kesra_officer, kesra_head, kesra_walk_in
):
    """40 guests through the day (some served and finished, some routed, some left waiting),
    a sweep every 7 minutes from 07:30 to 17:00: zero SLA mail for any visit; the complaint
    received the same morning is warned once and escalated once to officer and head."""
    complaint = case_create(
        actor=PUBLIC,
        kind=CaseKind.COMPLAINT,
        unit=org["biro-kesra"],
        channel=Channel.WEB,
        received_at=at(8),
        duration=Duration(value=3, unit="hours", text="3 jam"),
        subject="Layanan lambat",
        requester_name="Pelapor",
        requester_email="pelapor@example.org",
    )
    visits = []
    moment = at(7, 30)
    arrivals = [at(8) + dt.timedelta(minutes=9 * i) for i in range(40)]
    while moment <= at(17):
        while arrivals and arrivals[0] <= moment:
            arrived = arrivals.pop(0)
            case = visit_register(
                actor=kesra_front,
                unit=org["biro-kesra"],
                standard=kesra_walk_in if len(visits) % 3 else None,
                name=f"Tamu {len(visits)}",
                phone=f"0812555{len(visits):05d}",
                purpose="Bertanya",
                now=arrived,
            )
            visits.append(case)
            if len(visits) % 2:  # every other guest is served 20 minutes later and finished
                visit_serve(
                    actor=kesra_front,
                    case=case,
                    desk="Loket 1",
                    now=arrived + dt.timedelta(minutes=20),
                )
                if len(visits) % 4 == 1:
                    visit_finish(
                        actor=kesra_front,
                        case=case,
                        outcome="Selesai",
                        now=arrived + dt.timedelta(minutes=30),
                    )
        sla_sweep(now=moment)
        moment += dt.timedelta(minutes=7)
    assert len(visits) == 40
    kinds = set(Case.objects.filter(pk__in=[v.pk for v in visits]).values_list("kind", flat=True))
    assert kinds == {CaseKind.VISIT, CaseKind.CONSULTATION}
    visit_ids = [v.pk for v in visits]
    assert not OutboxMessage.objects.filter(case_id__in=visit_ids, kind__startswith="sla_").exists()
    assert not Case.objects.filter(pk__in=visit_ids).exclude(sla_state=SlaState.ON_TRACK).exists()
    sent = OutboxMessage.objects.filter(case_id=complaint.pk)
    assert set(sent.filter(kind="sla_due_soon").values_list("recipient", flat=True)) == {
        kesra_officer.email
    }
    assert set(sent.filter(kind="sla_overdue").values_list("recipient", flat=True)) == {
        kesra_officer.email,
        kesra_head.email,
    }
    complaint.refresh_from_db()
    assert complaint.sla_state == SlaState.OVERDUE


def test_the_recompute_path_skips_visits_too(org, kesra_front, kesra_walk_in):
    """``sla_sweep(only=…)`` (the calendar recompute) names a visit: it is still not escalated."""
    case = visit_register(
        actor=kesra_front,
        unit=org["biro-kesra"],
        standard=kesra_walk_in,
        name="Tamu",
        phone="081234567890",
        now=at(9),
    )
    report = sla_sweep(now=at(12), only=[case.pk])
    assert report.overdue == 0 and not OutboxMessage.objects.filter(case_id=case.pk).exists()
