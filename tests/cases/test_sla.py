"""The SLA sweep: cases due soon and overdue are marked, their handler told and overdue ones
escalated to the head — once per case and threshold, even with two sweeps at once; cases whose
clock stands still are left alone; a case whose deadline moved later is back on track."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseKind, Channel, SlaState, Status
from layanan.cases.services import case_create
from layanan.cases.sla import sla_sweep
from layanan.cases.workflow import case_transition
from layanan.notify.models import OutboxMessage
from layanan.workdays.durations import Duration

from ..concurrency import run_concurrently

WIB = ZoneInfo("Asia/Pontianak")
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=WIB)  # a Wednesday
THREE_HOURS = Duration(value=3, unit="hours", text="3 jam")
FIVE_DAYS = Duration(value=5, unit="working_days", text="5 hari kerja")


def make_case(org, *, due_in: dt.timedelta, duration=FIVE_DAYS, **fields) -> Case:
    case = case_create(
        actor=PUBLIC,
        kind=CaseKind.COMPLAINT,
        unit=org["biro-kesra"],
        channel=Channel.WEB,
        received_at=NOW - dt.timedelta(hours=4),
        duration=duration,
        subject="Layanan lambat",
        **fields,
    )
    Case.objects.filter(pk=case.pk).update(due_at=NOW + due_in)
    case.refresh_from_db()
    return case


def mails(case) -> set[str]:
    return set(OutboxMessage.objects.filter(case_id=case.pk).values_list("recipient", flat=True))


@pytest.mark.django_db
def test_due_soon_and_overdue_are_marked_and_told_once(
    org, kesra_officer, kesra_handler, kesra_head
):
    """An hours-limit case due in 30 min and a days-limit case due in 20 h are *due soon*
    (thresholds 1 h and 24 h); one due in 2 h (hours) or 30 h (days) is not; a case past its
    due time is *overdue*. The assignee is told of due-soon; overdue also goes to the head.
    A second sweep changes nothing and sends nothing."""
    soon_hours = make_case(org, due_in=dt.timedelta(minutes=30), duration=THREE_HOURS)
    later_hours = make_case(org, due_in=dt.timedelta(hours=2), duration=THREE_HOURS)
    soon_days = make_case(
        org, due_in=dt.timedelta(hours=20), assigned_unit=org["kesra-bina-mental"]
    )
    later_days = make_case(org, due_in=dt.timedelta(hours=30))
    overdue = make_case(org, due_in=-dt.timedelta(minutes=1), assignee=kesra_handler)

    report = sla_sweep(now=NOW)
    assert (report.due_soon, report.overdue) == (2, 1)
    states = dict(Case.objects.values_list("pk", "sla_state"))
    assert states == {
        soon_hours.pk: SlaState.DUE_SOON,
        later_hours.pk: SlaState.ON_TRACK,
        soon_days.pk: SlaState.DUE_SOON,
        later_days.pk: SlaState.ON_TRACK,
        overdue.pk: SlaState.OVERDUE,
    }
    # unassigned → the unit's complaint officer; assigned division → its handlers
    assert mails(soon_hours) == {kesra_officer.email}
    assert mails(soon_days) == {kesra_handler.email}
    # overdue → the assignee and, as escalation, the head of unit
    assert mails(overdue) == {kesra_handler.email, kesra_head.email}
    event = overdue.events.get(kind="sla_overdue")
    assert event.is_internal and event.actor is None

    messages, events = OutboxMessage.objects.count(), overdue.events.count()
    again = sla_sweep(now=NOW + dt.timedelta(minutes=5))
    assert (again.due_soon, again.overdue, again.notifications) == (0, 0, 0)
    assert (OutboxMessage.objects.count(), overdue.events.count()) == (messages, events)


@pytest.mark.django_db
def test_a_due_soon_case_later_becomes_overdue_and_is_escalated(org, kesra_head):
    """The two thresholds are separate: due soon first, overdue when the time passes."""
    case = make_case(org, due_in=dt.timedelta(minutes=30), duration=THREE_HOURS)
    assert sla_sweep(now=NOW).due_soon == 1
    report = sla_sweep(now=NOW + dt.timedelta(minutes=31))
    assert (report.due_soon, report.overdue) == (0, 1)
    assert kesra_head.email in mails(case)
    assert list(case.events.filter(kind__startswith="sla_").values_list("kind", flat=True)) == [
        "sla_due_soon",
        "sla_overdue",
    ]


@pytest.mark.django_db
def test_cases_whose_clock_stands_still_are_left_alone(org, kesra_officer):
    """Waiting for the requester (paused), answered and closed cases are never swept."""
    waiting = make_case(org, due_in=-dt.timedelta(hours=1))
    case_transition(actor=kesra_officer, case=waiting, to=Status.WAITING)
    answered = make_case(org, due_in=-dt.timedelta(hours=1))
    case_transition(actor=kesra_officer, case=answered, to=Status.VERIFIED)
    case_transition(actor=kesra_officer, case=answered, to=Status.ANSWERED)
    Case.objects.update(due_at=NOW - dt.timedelta(hours=1))
    report = sla_sweep(now=NOW)
    assert (report.due_soon, report.overdue) == (0, 0)
    assert set(Case.objects.values_list("sla_state", flat=True)) == {SlaState.ON_TRACK}


@pytest.mark.django_db
def test_a_deadline_moved_later_puts_the_case_back_on_track(org):
    """Reclassified or resumed, a case whose due time is now far is on track again, and is
    warned afresh when the new time draws near."""
    case = make_case(org, due_in=-dt.timedelta(hours=1))
    sla_sweep(now=NOW)
    Case.objects.filter(pk=case.pk).update(due_at=NOW + dt.timedelta(days=9))
    assert sla_sweep(now=NOW).back_on_track == 1
    case.refresh_from_db()
    assert (case.sla_state, case.overdue_notified_at) == (SlaState.ON_TRACK, None)
    report = sla_sweep(now=NOW + dt.timedelta(days=9, minutes=1))
    assert report.overdue == 1


@pytest.mark.django_db
def test_sweep_statements_do_not_grow_with_the_number_of_cases(
    org, kesra_handler, kesra_head, django_assert_max_num_queries
):
    """A backlog costs a fixed number of statements per batch of claims, not per case or per
    e-mail: escalating 2N cases takes as many as escalating N."""

    def sweep(n: int, *, at_most: int) -> int:
        for i in range(n):
            make_case(org, due_in=-dt.timedelta(minutes=i + 1), assignee=kesra_handler)
        with django_assert_max_num_queries(at_most) as queries:
            report = sla_sweep(now=NOW)
        assert (report.overdue, report.notifications) == (n, 2 * n)  # assignee and head
        return len(queries)

    few = sweep(6, at_most=20)
    assert sweep(12, at_most=few) == few


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_notify_each_case_once(org, kesra_head):
    """Two sweeps started together on PostgreSQL claim disjoint cases: every overdue case gets
    exactly one escalation event, whichever sweep made it."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row claims are a PostgreSQL property")
    cases = [make_case(org, due_in=-dt.timedelta(minutes=i + 1)) for i in range(40)]
    reports = run_concurrently(2, lambda: sla_sweep(now=NOW, batch=7))
    assert sum(r.overdue for r in reports) == 40
    for case in cases:
        assert case.events.filter(kind="sla_overdue").count() == 1


@pytest.mark.django_db
def test_command_reports_what_it_did(org):
    """``manage.py sla_sweep`` runs one sweep and says what it did."""
    make_case(org, due_in=-dt.timedelta(hours=1))
    out = StringIO()
    call_command("sla_sweep", stdout=out)
    assert "1 overdue" in out.getvalue()
