"""Each figure of the reports against data whose answers were computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.cases.models import CaseKind, Channel, Status
from layanan.complaints.models import ComplaintDetail
from layanan.reports import metrics
from layanan.reports.metrics import Month
from layanan.reports.models import MonthSnapshot
from layanan.reports.summary import evaluation

from .conftest import at, make_case

OCT = Month(2026, 10)
H = 3600


@pytest.fixture
def october(org):
    """Five complaints in Biro Kesra (one in its Bagian) on 5 Oct 2026 08:00: first responses
    after 10/20/30/40/50 minutes, closed after 1/2/3/4/10 hours, each due after 3 hours; plus
    noise outside the unit and the month, and two open cases."""
    kesra, bagian = org["biro-kesra"], org["kesra-bina-mental"]
    start = at("2026-10-05", "08:00")
    for i, (resp_min, close_h) in enumerate(
        zip([10, 20, 30, 40, 50], [1, 2, 3, 4, 10], strict=True)
    ):
        case = make_case(
            bagian if i == 4 else kesra,
            received=start,
            channel=Channel.WHATSAPP if i >= 3 else Channel.WEB,
            due=start + dt.timedelta(hours=3),
            first_response=start + dt.timedelta(minutes=resp_min),
            answered=start + dt.timedelta(hours=close_h),
            closed=start + dt.timedelta(hours=close_h),
        )
        ComplaintDetail.objects.create(
            case=case,
            class_code="ringan" if i < 3 else "sedang",
            class_name="Ringan" if i < 3 else "Sedang",
        )
    # Another unit and another month: never counted for Kesra in October.
    make_case(
        org["biro-perekonomian"], received=start, due=start, closed=start + dt.timedelta(hours=1)
    )
    make_case(kesra, received=at("2026-09-30", "10:00"), closed=at("2026-09-30", "11:00"))
    # Open cases received in October: one in the Bagian overdue at month end, one not yet due.
    make_case(
        kesra,
        received=at("2026-10-20"),
        due=at("2026-10-25"),
        assigned_unit=bagian,
        kind=CaseKind.CONSULTATION,
        channel=Channel.FACE_TO_FACE,
        status=Status.IN_PROGRESS,
    )
    make_case(
        kesra,
        received=at("2026-10-31", "15:00"),
        due=at("2026-11-03"),
        kind=CaseKind.CONSULTATION,
        channel=Channel.FACE_TO_FACE,
    )
    return kesra


def test_percentiles_follow_the_continuous_definition(october):
    """Median and p90 are percentile_cont's: position p·(n−1), linear interpolation — 30 and 46
    minutes to first response, 3 and 7.6 hours to close for the hand-made data."""
    d = metrics.durations(october, OCT)
    assert d.first_response_n == 5 and d.close_n == 5
    assert d.first_response_median == 30 * 60
    assert d.first_response_p90 == pytest.approx(46 * 60)
    assert d.close_median == 3 * H
    assert d.close_p90 == pytest.approx(7.6 * H)


def test_percentiles_of_nothing_and_of_one_value(org):
    """No case gives no figure (not zero); a single case is its own median and p90."""
    kesra = org["biro-kesra"]
    assert metrics.durations(kesra, OCT).close_median is None
    start = at("2026-10-01", "09:00")
    make_case(kesra, received=start, closed=start + dt.timedelta(minutes=90))
    d = metrics.durations(kesra, OCT)
    assert d.close_median == d.close_p90 == 90 * 60


def test_on_time_counts_finishing_at_the_deadline_as_on_time(october):
    """On time = answered (or closed) at or before due_at: 1, 2 and 3 hours against a 3-hour
    deadline are on time, 4 and 10 are late → 3 of 5 = 60 %."""
    total = metrics.on_time_by_service(october, OCT)[0]
    assert (total.finished, total.on_time, total.rate) == (5, 3, 60.0)


def test_volume_by_kind_and_channel_includes_sub_units_only(october):
    """Volume counts the cases received in the month by the unit and its Bagian — not another
    bureau's, not September's."""
    kinds = {r.key: r.value for r in metrics.volume_by_kind(october, OCT)}
    assert kinds == {"complaint": 5, "consultation": 2}
    channels = {r.key: r.value for r in metrics.volume_by_channel(october, OCT)}
    assert channels == {"web": 3, "whatsapp": 2, "face_to_face": 2}
    assert metrics.total_received(metrics.volume_by_service(october, OCT)) == 7


def test_open_and_overdue_by_division(october, org):
    """Open cases by assigned Bagian; overdue against the end of the month (not 'now')."""
    rows = metrics.open_by_division(october, OCT, now=at("2026-12-01"))
    by_label = {r.label: (r.open, r.overdue) for r in rows}
    assert by_label[org["kesra-bina-mental"].name] == (1, 1)
    unassigned = [r for r in rows if r.unit_id is None]
    assert [(r.open, r.overdue) for r in unassigned] == [(1, 0)]


def test_complaint_classes(october):
    """Complaints received in the month by class."""
    assert {r.key: r.value for r in metrics.complaint_classes(october, OCT)} == {
        "ringan": 3,
        "sedang": 2,
    }


def test_volume_trend_fills_empty_months(october):
    """Twelve months up to the chosen one, empty months as zero, in order."""
    trend = metrics.volume_trend(october, OCT)
    assert [r.key for r in trend][-2:] == ["2026-09", "2026-10"]
    assert (
        len(trend) == 12 and trend[-1].value == 7 and trend[-2].value == 1 and trend[0].value == 0
    )


def test_month_arithmetic():
    """Months step across years and parse only YYYY-MM."""
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 3).minus(11) == Month(2025, 4)
    assert Month.parse("2027-01") == Month(2027, 1)
    for bad in ("2027-13", "abc", "2027", ""):
        with pytest.raises(ValueError):
            Month.parse(bad)


def test_evaluation_query_count_does_not_grow_with_cases(october, org):
    """The whole monthly evaluation (both months) costs the same number of queries for 9 cases
    as for 40: aggregation in SQL, no loop over rows. (Computed each time: the stored months
    are removed before each measure — serving them is tested in test_snapshots.py.)"""
    evaluation(october, OCT, now=at("2026-11-23"))  # warm up: the unit's subtree ids are kept
    MonthSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as small:
        evaluation(october, OCT, now=at("2026-11-23"))
    for i in range(30):
        make_case(
            october,
            received=at("2026-10-07"),
            due=at("2026-10-08"),
            first_response=at("2026-10-07", "09:00"),
            closed=at("2026-10-07", f"1{i % 10}:00"),
        )
    MonthSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        figures = evaluation(october, OCT, now=at("2026-11-23"))
    assert len(large) == len(small) <= 40
    assert figures.current.received == 37


@pytest.mark.skipif(
    not apps.is_installed("layanan.visits"), reason="the visits app is not installed"
)
def test_visits_admin_time(org):
    """Visits: served within 15 minutes of arrival count as within the administration time
    (10 and 15 minutes yes, 20 no; one not served yet); median of the served is 15 minutes."""
    from layanan.visits.models import VisitDetail

    kesra = org["biro-kesra"]
    arrived = at("2026-10-06", "09:00")
    for i, minutes in enumerate([10, 15, 20, None]):
        case = make_case(kesra, received=arrived, kind=CaseKind.VISIT, channel=Channel.FACE_TO_FACE)
        VisitDetail.objects.create(
            case=case,
            purpose="Konsultasi",
            queue_day=arrived.date(),
            queue_number=i + 1,
            ticket=f"A{i + 1:03d}",
            arrived_at=arrived,
            served_at=arrived + dt.timedelta(minutes=minutes) if minutes else None,
        )
    v = metrics.visits_admin_time(kesra, OCT)
    assert (v["visits"], v["served"], v["within"]) == (4, 3, 2)
    assert v["median"] == 15 * 60
