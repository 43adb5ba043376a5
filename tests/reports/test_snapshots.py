"""Closed months are stored once and served from the store; late corrections forget them.

The suite's clock stands in December 2026 (a Wednesday, or a Saturday night on CI's second
run): October and November are closed, December is the current month.

The October data of Biro Kesra, and its figures worked out by hand:

- A: complaint received 5 Oct 08:00, due 11:00, first response 08:10, closed 09:00 — on time;
- B: complaint received 6 Oct 08:00, due 11:00, first response 08:30, closed 13:00 — late;
- C: consultation received 20 Oct 08:00, due 25 Oct 08:00, still open — overdue at month end.

Received 3 (2 complaints, 1 consultation); finished 2, on time 1 (50 %); open 1, overdue 1;
complaint classes: 2 not yet classified; no survey response.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from layanan.cases.models import CaseKind, Channel, Status
from layanan.complaints.models import ComplaintDetail
from layanan.reports import metrics
from layanan.reports.filling import snapshots_fill
from layanan.reports.metrics import Month
from layanan.reports.models import MonthSnapshot
from layanan.reports.summary import evaluation, ikm_range, month_figures, months_figures
from layanan.reports.tasks import fill_report_snapshots_task
from layanan.surveys.ikm import ikm_compute
from layanan.surveys.models import ResponseChannel, SurveyResponse
from layanan.surveys.services import survey_responses_import

from .conftest import at, make_case

OCT, NOV, DEC = Month(2026, 10), Month(2026, 11), Month(2026, 12)


@pytest.fixture
def kesra(org):
    return org["biro-kesra"]


def finished(unit, day: str, *, responded: str, closed: str):
    """A case received at 08:00 on ``day``, due at 11:00, answered and closed at ``closed``."""
    return make_case(
        unit,
        received=at(day, "08:00"),
        due=at(day, "11:00"),
        first_response=at(day, responded),
        answered=at(day, closed),
        closed=at(day, closed),
    )


@pytest.fixture
def october(kesra):
    a = finished(kesra, "2026-10-05", responded="08:10", closed="09:00")
    b = finished(kesra, "2026-10-06", responded="08:30", closed="13:00")
    c = make_case(
        kesra,
        received=at("2026-10-20", "08:00"),
        due=at("2026-10-25", "08:00"),
        kind=CaseKind.CONSULTATION,
    )
    return {"a": a, "b": b, "c": c}


def stored(unit, month) -> bool:
    return MonthSnapshot.objects.filter(unit=unit, month=month.first_day).exists()


def oct_figures(unit):
    return months_figures(unit, [OCT])[OCT]


def response(unit, day: dt.date, answer: int) -> SurveyResponse:
    return SurveyResponse(
        unit=unit,
        channel=ResponseChannel.PAPER,
        answered_on=day,
        **{f"u{i}": answer for i in range(1, 10)},
    )


def test_closed_month_is_computed_once_then_read_in_one_query(kesra, october):
    """The first read of a closed month computes and stores it; the next is one query, with
    the same figures."""
    first = oct_figures(kesra)
    assert stored(kesra, OCT)
    with CaptureQueriesContext(connection) as queries:
        again = oct_figures(kesra)
    assert len(queries) == 1
    assert "reports_monthsnapshot" in queries[0]["sql"]
    assert again.received == first.received == 3
    assert (again.on_time_total.finished, again.on_time_total.on_time) == (2, 1)
    assert again.on_time_total.rate == 50
    assert (again.open_total, again.overdue_total) == (1, 1)
    assert again.durations.first_response_median == 20 * 60  # 10 and 30 minutes
    assert again.durations.close_median == 3 * 3600  # 1 h and 5 h
    assert [(row.key, row.value) for row in again.by_kind] == [
        ("complaint", 2),
        ("consultation", 1),
    ]
    assert again == month_figures(kesra, OCT)  # stored and live agree


def test_stored_month_is_labelled_in_the_reader_language(kesra, october):
    """The store keeps codes and numbers: the same stored month reads in Indonesian and
    English."""
    oct_figures(kesra)
    with translation.override("en"):
        english = oct_figures(kesra)
        assert english.on_time[0].label == "All services"
        assert english.divisions[0].label == "Not assigned to a division"
    indonesian = oct_figures(kesra)
    assert indonesian.on_time[0].label != "All services"


def test_current_month_is_never_stored(kesra, october):
    """December (this month) is computed on every read and never stored, also by the filler."""
    make_case(kesra, received=at("2026-12-01", "09:00"))
    figures = months_figures(kesra, [DEC])[DEC]
    assert figures.received == 1
    snapshots_fill(months=1, last=DEC)
    assert not stored(kesra, DEC)
    make_case(kesra, received=at("2026-12-02", "09:00"))
    assert months_figures(kesra, [DEC])[DEC].received == 2


def test_stored_evaluation_is_a_bounded_read(kesra, october):
    """With the twelve months of the window stored, the evaluation of a closed month is three
    queries — the stored window, the running survey period, the stored months of the
    satisfaction's 12 months — and reads no case or response; its trends match the live ones."""
    snapshots_fill(months=12, last=OCT)
    evaluation(kesra, OCT)  # warm up: the unit's subtree ids are kept
    with CaptureQueriesContext(connection) as queries:
        ev = evaluation(kesra, OCT)
    tables = ["reports_monthsnapshot", "surveys_surveyperiod", "reports_monthsnapshot"]
    assert [next(t for t in tables if t in q["sql"]) for q in queries] == tables
    assert ev.current.received == 3 and ev.previous.received == 0
    assert [row.value for row in ev.volume_trend][-2:] == [0, 3]
    live = metrics.volume_trend(kesra, OCT)
    assert [(row.key, row.value) for row in ev.volume_trend] == [
        (row.key, row.value) for row in live
    ]
    assert [ikm for _m, ikm in ev.ikm_trend] == [ikm for _m, ikm in metrics.ikm_trend(kesra, OCT)]
    assert ev.satisfaction.ikm.population == 3  # A, B, C in the 12 months to 31 October


def test_ikm_range_sums_stored_months_and_counts_the_edges(kesra, october, client):
    """The IKM of 15 September – 9 December: the 4s of 20 September and the 3s of 2 December
    are counted live, the 2s of October and November's nothing come from the store. Three
    respondents, every element 4+2+3 = 9 → NRR 3, converted 75.00; people served: A, B, C.
    One stored read and two queries per edge; the API gives the same."""
    SurveyResponse.objects.bulk_create(
        [
            response(kesra, dt.date(2026, 9, 20), 4),
            response(kesra, dt.date(2026, 10, 12), 2),
            response(kesra, dt.date(2026, 12, 2), 3),
        ]
    )
    snapshots_fill(months=3, last=NOV)
    start, end = dt.date(2026, 9, 15), dt.date(2026, 12, 9)
    kesra.subtree_pks()
    with CaptureQueriesContext(connection) as queries:
        ikm = ikm_range(unit=kesra, start=start, end=end)
    assert len(queries) == 5 and "reports_monthsnapshot" in queries[0]["sql"]
    assert ikm == ikm_compute(unit=kesra, start=start, end=end)
    assert (ikm.respondents, str(ikm.converted), ikm.population) == (3, "75.00", 3)
    data = client.get(
        "/api/v1/ikm", {"unit": "biro-kesra", "from": "2026-09-15", "to": "2026-12-09"}
    ).json()
    assert (data["respondents"], data["ikm_converted"], data["population"]) == (3, 75.0, 3)


def test_ikm_of_a_year_of_stored_months_is_one_read(kesra, october, client):
    """A year of closed months, all stored: the IKM reads no response and no case (one
    stored read); a month not stored yet falls back to the two live aggregates."""
    SurveyResponse.objects.bulk_create([response(kesra, dt.date(2026, 10, 12), 2)])
    start, end = dt.date(2025, 12, 1), dt.date(2026, 11, 30)
    kesra.subtree_pks()
    with CaptureQueriesContext(connection) as queries:
        ikm_range(unit=kesra, start=start, end=end)
    assert len(queries) == 3  # a stored read finding nothing, the two aggregates
    snapshots_fill(months=12, last=NOV)
    with CaptureQueriesContext(connection) as queries:
        ikm = ikm_range(unit=kesra, start=start, end=end)
    assert len(queries) == 1
    assert (ikm.respondents, str(ikm.converted), ikm.population) == (1, "50.00", 3)


def test_late_case_of_a_closed_month_forgets_it(
    kesra, org, october, django_capture_on_commit_callbacks
):
    """A case entered late for October — in a Bagian of Biro Kesra — changes the bureau's
    stored October: received 3 → 4; November's is forgotten too (the case is open in it)."""
    oct_figures(kesra)
    months_figures(kesra, [NOV])
    with django_capture_on_commit_callbacks(execute=True):
        make_case(org["kesra-bina-mental"], received=at("2026-10-30", "10:00"))
    assert not stored(kesra, OCT) and not stored(kesra, NOV)
    figures = oct_figures(kesra)
    assert figures.received == 4
    assert (figures.open_total, figures.overdue_total) == (2, 1)  # the new one is not due


def test_case_closed_late_forgets_its_month(kesra, october, django_capture_on_commit_callbacks):
    """C, open since 20 October, closed now in December: October's open and overdue counts go
    from 1 to 0; finished stays 2 (it finished in December)."""
    oct_figures(kesra)
    case = october["c"]
    with django_capture_on_commit_callbacks(execute=True):
        case.status, case.closed_at = Status.CLOSED, at("2026-12-07", "09:00")
        case.save()
    figures = oct_figures(kesra)
    assert (figures.open_total, figures.overdue_total) == (0, 0)
    assert figures.on_time_total.finished == 2


def test_complaint_classified_late_forgets_its_month(
    kesra, october, django_capture_on_commit_callbacks
):
    """A gets its class in December: October's classes go from 2 unclassified to 1 "ringan"
    and 1 unclassified."""
    assert [row.value for row in oct_figures(kesra).classes] == [2]
    with django_capture_on_commit_callbacks(execute=True):
        ComplaintDetail.objects.create(case=october["a"], class_code="ringan", class_name="Ringan")
    classes = {row.key: row.value for row in oct_figures(kesra).classes}
    assert classes == {"ringan": 1, "": 1}


def test_late_survey_response_forgets_its_month(kesra, october, django_capture_on_commit_callbacks):
    """A paper questionnaire answered on 15 October (all 4s) and entered in December: October's
    IKM goes from no respondent to 1, converted 100.00; a November response leaves October
    stored."""
    assert oct_figures(kesra).ikm.respondents == 0
    with django_capture_on_commit_callbacks(execute=True):
        response(kesra, dt.date(2026, 11, 3), 3).save()
    assert stored(kesra, OCT)
    with django_capture_on_commit_callbacks(execute=True):
        response(kesra, dt.date(2026, 10, 15), 4).save()
    assert not stored(kesra, OCT)
    ikm = oct_figures(kesra).ikm
    assert ikm.respondents == 1 and str(ikm.converted) == "100.00"


def test_imported_responses_forget_their_month(kesra, october, django_capture_on_commit_callbacks):
    """An import (one bulk insert, no signals) of two October responses, 4s and 2s: October's
    IKM becomes 2 respondents, NRR 3 on every element, converted 75.00."""
    oct_figures(kesra)
    with django_capture_on_commit_callbacks(execute=True):
        survey_responses_import(
            responses=[
                response(kesra, dt.date(2026, 10, 10), 4),
                response(kesra, dt.date(2026, 10, 11), 2),
            ]
        )
    ikm = oct_figures(kesra).ikm
    assert ikm.respondents == 2 and str(ikm.converted) == "75.00"


def test_rolled_back_write_keeps_the_stored_month(
    kesra, october, django_capture_on_commit_callbacks
):
    """Invalidation waits for the commit: a write that never commits forgets nothing."""
    oct_figures(kesra)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_case(kesra, received=at("2026-10-30", "10:00"))
    assert len(callbacks) == 1 and stored(kesra, OCT)


def test_fill_stores_last_month_when_it_ends(kesra, october, clock):
    """Run daily, the filler stores a month the first time it runs after the month ended: on
    30 November it stores October (not November, still running); on 1 December 00:30 it stores
    November; run again it computes nothing."""
    clock.move_to(at("2026-11-30", "23:30"))
    report = fill_report_snapshots_task.call(months=1)
    assert report["months"] == ["2026-10"] and report["computed"] == report["units"] > 0
    assert stored(kesra, OCT) and not stored(kesra, NOV)
    clock.move_to(at("2026-12-01", "00:30"))
    out = StringIO()
    call_command("fill_report_snapshots", "--months", "1", stdout=out)
    assert "2026-11" in out.getvalue()
    assert stored(kesra, NOV)
    assert snapshots_fill(months=1).computed == 0
    assert MonthSnapshot.objects.get(unit=kesra, month=OCT.first_day).data["by_kind"]


def test_fill_command_rejects_bad_arguments():
    """A month that cannot be read is an error, not a silent default."""
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("fill_report_snapshots", "--last", "2026-13", stdout=StringIO())


def test_calendar_change_forgets_the_months_of_the_moved_cases(
    org, kesra_officer, admin, clock, settings, django_capture_on_commit_callbacks
):
    """A normatif complaint (5 working days) received Fri 23 Oct 2026 10:00 is due Fri 30 Oct
    16:30 (26–30 Oct), so at October's end it is open and overdue. A cuti bersama added late on
    Tue 27 Oct moves it to Mon 2 Nov 16:00 (the recompute's bulk UPDATE): October's stored
    figures are forgotten and now say open 1, overdue 0."""
    from layanan.cases.recompute import calendar_recompute_run
    from layanan.complaints.services import complaint_create
    from layanan.workdays.models import Holiday, HolidayKind
    from layanan.workdays.services import holiday_save

    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.WHATSAPP_ENABLED = False
    call_command("load_demo", "--no-users", stdout=StringIO())
    kesra = org["biro-kesra"]
    clock.move_to(at("2026-10-23", "10:05"))
    case = complaint_create(
        actor=kesra_officer,
        unit=kesra,
        description="Loket tutup pada jam layanan.",
        channel="email",
        received_at=at("2026-10-23", "10:00"),
        class_code="normatif",
        requester_name="Siti Aminah",
        requester_email="siti@example.com",
    )
    assert case.due_at == at("2026-10-30", "16:30")
    clock.move_to(at("2026-12-09", "10:00"))
    before = oct_figures(kesra)
    assert (before.open_total, before.overdue_total) == (1, 1)
    holiday = holiday_save(
        actor=admin,
        holiday=Holiday(
            date=dt.date(2026, 10, 27), name="Cuti bersama", kind=HolidayKind.CUTI_BERSAMA
        ),
        changed=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        calendar_recompute_run(run_id=holiday.calendar_run.pk)
    case.refresh_from_db()
    assert case.due_at == at("2026-11-02", "16:00")
    assert not stored(kesra, OCT)
    after = oct_figures(kesra)
    assert (after.open_total, after.overdue_total) == (1, 0)


@pytest.mark.skipif(
    not apps.is_installed("layanan.visits"), reason="the visits app is not installed"
)
def test_visit_served_late_forgets_its_month(kesra, django_capture_on_commit_callbacks):
    """A visit of 6 October recorded as served (after 10 minutes) only in December: October's
    visits go from 1 visit, 0 served to 1 served, 1 within the administration time."""
    from layanan.visits.models import VisitDetail

    arrived = at("2026-10-06", "09:00")
    case = make_case(kesra, received=arrived, kind=CaseKind.VISIT, channel=Channel.FACE_TO_FACE)
    visit = VisitDetail.objects.create(
        case=case,
        purpose="Konsultasi",
        queue_day=arrived.date(),
        queue_number=1,
        ticket="A001",
        arrived_at=arrived,
    )
    visits = oct_figures(kesra).visits
    assert (visits["visits"], visits["served"], visits["within"]) == (1, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        visit.served_at = arrived + dt.timedelta(minutes=10)
        visit.save()
    visits = oct_figures(kesra).visits
    assert (visits["visits"], visits["served"], visits["within"]) == (1, 1, 1)
