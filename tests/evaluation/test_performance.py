"""Evaluasi kinerja pelaksana: per officer, cases assigned, finished on time or late, open and
overdue, and the IKM of the responses about the cases they served — aggregated in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.evaluation.selectors import officer_performance
from layanan.surveys.models import SurveyResponse
from tests.reports.conftest import at, make_case

START, END = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def _answer(case, value: int):
    return SurveyResponse.objects.create(
        unit=case.unit,
        case=case,
        channel="invitation",
        answered_on=dt.date(2026, 11, 20),
        **{f"u{i}": value for i in range(1, 10)},
    )


@pytest.fixture
def cases(org, kesra_handler, kesra_officer):
    kesra = org["biro-kesra"]
    on_time = make_case(
        kesra,
        received=at("2026-11-02"),
        due=at("2026-11-05", "16:00"),
        answered=at("2026-11-04"),
        assignee=kesra_handler,
    )
    late = make_case(
        kesra,
        received=at("2026-11-02"),
        due=at("2026-11-03", "16:00"),
        closed=at("2026-11-10"),
        assignee=kesra_handler,
    )
    make_case(  # still open, due in November: overdue at the end of November
        kesra, received=at("2026-11-20"), due=at("2026-11-25"), assignee=kesra_handler
    )
    make_case(  # October's, finished in October: outside the range
        kesra,
        received=at("2026-10-02"),
        due=at("2026-10-05"),
        answered=at("2026-10-03"),
        assignee=kesra_handler,
    )
    make_case(  # another unit's case of the same person: not Kesra's figures
        org["biro-perekonomian"],
        received=at("2026-11-02"),
        due=at("2026-11-05"),
        answered=at("2026-11-04"),
        assignee=kesra_handler,
    )
    officer_case = make_case(
        kesra,
        received=at("2026-11-03"),
        due=at("2026-11-06"),
        answered=at("2026-11-05"),
        assignee=kesra_officer,
    )
    _answer(on_time, 4)
    _answer(late, 3)
    _answer(officer_case, 2)
    return on_time


def test_each_officers_figures(org, cases, kesra_handler, kesra_officer, kesra_front):
    """Hand-counted November figures: the handler received 3 (assigned), finished 2 — 1 on
    time, 1 late — has 1 open and overdue; two responses (all 4s and all 3s) make NRR 3.5 per
    element, IKM 3.5 × 25 = 87.50 (B). The complaint officer: 1 finished on time, one response
    of all 2s → 50.00 (D). The front desk: a row of zeros, no IKM."""
    rows = {r.officer: r for r in officer_performance(unit=org["biro-kesra"], start=START, end=END)}
    handler = rows[kesra_handler]
    assert (handler.assigned, handler.finished, handler.on_time, handler.late) == (3, 2, 1, 1)
    assert handler.overdue_open == 1 and handler.on_time_rate == 50
    assert handler.ikm.respondents == 2 and str(handler.ikm.converted) == "87.50"
    assert handler.ikm.band.grade == "B"
    officer = rows[kesra_officer]
    assert (officer.finished, officer.on_time, officer.late, officer.overdue_open) == (1, 1, 0, 0)
    assert str(officer.ikm.converted) == "50.00"
    front = rows[kesra_front]
    assert (front.assigned, front.finished, front.ikm.converted) == (0, 0, None)


def test_the_query_count_does_not_grow_with_cases_or_officers(
    org, cases, kesra_handler, django_assert_max_num_queries
):
    """Four queries (plus the unit's sub-tree once) however many cases and officers."""
    unit = org["biro-kesra"]
    for _i in range(30):
        make_case(
            unit,
            received=at("2026-11-09"),
            due=at("2026-11-12"),
            answered=at("2026-11-11"),
            assignee=kesra_handler,
        )
    from tests.factories import MembershipFactory, UserFactory

    for _i in range(10):
        MembershipFactory(user=UserFactory(), unit=unit, role="handler")
    with django_assert_max_num_queries(5):
        rows = officer_performance(unit=unit, start=START, end=END)
    assert len(rows) >= 14


def test_who_sees_the_performance_page(
    client, org, cases, kesra_head, auditor, kesra_front, kesra_handler, ekon_head
):
    """The head of the unit and the auditor; not the unit's other staff, not another unit's
    head (404)."""
    url = reverse("evaluation:performance", args=["biro-kesra"])
    for user, status in (
        (kesra_head, 200),
        (auditor, 200),
        (kesra_front, 404),
        (kesra_handler, 404),
        (ekon_head, 404),
    ):
        client.force_login(user)
        assert client.get(url, {"dari": "2026-11-01", "sampai": "2026-11-30"}).status_code == status
    client.force_login(kesra_head)
    page = client.get(url, {"dari": "2026-11-01", "sampai": "2026-11-30"}).content.decode()
    assert "87,50" in page or "87.50" in page


def test_a_reversed_range_is_refused_with_the_default_shown(client, kesra_head, org):
    """A range that ends before it starts: the error, and this month's figures instead."""
    client.force_login(kesra_head)
    response = client.get(
        reverse("evaluation:performance", args=["biro-kesra"]),
        {"dari": "2026-11-30", "sampai": "2026-11-01"},
    )
    assert response.status_code == 200
    assert response.context["start"] == dt.date(2026, 12, 1)
    assert response.context["form"].non_field_errors()
