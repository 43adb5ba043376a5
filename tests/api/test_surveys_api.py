"""The survey and the monthly evaluation in the API: the questionnaire and periods are public;
entering a paper questionnaire needs a staff token of the unit; the monthly figures need the
right to read the unit's reports and agree with hand-counted cases."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan.surveys.models import SurveyPeriod, SurveyResponse

from ..reports.conftest import at, make_case
from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db

ANSWERS = {f"u{i}": 3 for i in range(1, 10)}


def test_questionnaire_lists_the_nine_elements_with_four_answers(client):
    """The regulation's nine elements in order, each with its question and answers 1–4, in
    the request's language (Indonesian by default)."""
    data = client.get("/api/v1/survey/questionnaire", **EN).json()
    assert [e["field"] for e in data] == [f"u{i}" for i in range(1, 10)]
    assert data[0]["name"] == "Requirements"
    assert [a["value"] for a in data[0]["answers"]] == [1, 2, 3, 4]
    indonesian = client.get("/api/v1/survey/questionnaire").json()
    assert indonesian[0]["name"] != "Requirements"


def test_periods_of_a_unit_include_the_global_ones(client, org):
    """A unit's own periods and the office-wide ones, newest first; unknown unit 404."""
    SurveyPeriod.objects.create(
        name="Semester I 2026", slug="2026-1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )
    SurveyPeriod.objects.create(
        name="Kesra II", slug="kesra-2026-2", unit=org["biro-kesra"],
        start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31),
    )  # fmt: skip
    SurveyPeriod.objects.create(
        name="Ekon II", slug="ekon-2026-2", unit=org["biro-perekonomian"],
        start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31),
    )  # fmt: skip
    data = client.get("/api/v1/survey/periods", {"unit": "biro-kesra"}).json()
    assert [p["slug"] for p in data] == ["kesra-2026-2", "2026-1"]
    assert_error(client.get("/api/v1/survey/periods", {"unit": "nope"}, **EN), 404, "unknown_unit")


def test_staff_enter_a_paper_questionnaire_for_their_unit_only(
    client, org, kesra_officer, ekon_officer, make_token
):
    """Kesra's officer enters a questionnaire for Kesra (stored as entered by staff); the
    public cannot enter one at all, another bureau's officer cannot enter one for Kesra, and a
    bad answer or a future date is refused with nothing stored."""
    url = "/api/v1/survey/responses"
    body = {"unit": "biro-kesra", "answered_on": "2026-10-05", "gender": "P", **ANSWERS}
    anonymous = client.post(url, body, content_type="application/json", **EN)
    assert_error(anonymous, 401, "not_authenticated")
    _t, ekon_key = make_token(ekon_officer)
    refused = client.post(url, body, content_type="application/json", **bearer(ekon_key))
    assert_error(refused, 403, "permission_denied")

    _t, key = make_token(kesra_officer)
    created = client.post(url, body, content_type="application/json", **bearer(key))
    assert created.status_code == 201, created.content
    response = SurveyResponse.objects.get()
    assert (response.unit, response.channel, response.gender) == (org["biro-kesra"], "paper", "P")
    assert response.answered_on == dt.date(2026, 10, 5)

    for bad in ({"u1": 5}, {"answered_on": "2099-01-01"}, {"education": "phd"}):
        answer = client.post(url, {**body, **bad}, content_type="application/json", **bearer(key))
        assert answer.status_code == 400, (bad, answer.content)
    assert SurveyResponse.objects.count() == 1


def test_monthly_figures_agree_with_the_cases_and_are_for_report_readers(
    client, org, kesra_head, kesra_officer, ekon_officer, auditor, make_token
):
    """October 2026 at Biro Kesra: three cases received (one in a Bagian), two finished, one of
    them on time; September: one received. Read by the head and the auditor; a complaint
    officer (no report role) gets 403 and another bureau's officer 403."""
    kesra = org["biro-kesra"]
    make_case(kesra, received=at("2026-09-10"))
    make_case(
        kesra, received=at("2026-10-05"), due=at("2026-10-06", "16:00"),
        answered=at("2026-10-06", "10:00"), closed=at("2026-10-06", "11:00"),
    )  # fmt: skip
    make_case(
        kesra, received=at("2026-10-07"), due=at("2026-10-08", "16:00"),
        answered=at("2026-10-09", "10:00"),
    )  # fmt: skip
    make_case(org["kesra-bina-mental"], received=at("2026-10-20"))
    make_case(org["biro-perekonomian"], received=at("2026-10-20"))

    params = {"unit": "biro-kesra", "month": "2026-10"}
    for user in (kesra_head, auditor):
        _t, key = make_token(user)
        data = client.get("/api/v1/reports/monthly", params, **bearer(key)).json()
        figures = {f["key"]: f for f in data["figures"]}
        assert (figures["received"]["current"], figures["received"]["previous"]) == (3, 1)
        assert figures["received"]["change"] == 2
        assert figures["finished"]["current"] == 2
        assert figures["on_time_rate"]["current"] == 50.0
        assert data["on_time"][0]["finished"] == 2 and data["on_time"][0]["on_time"] == 1
    for user in (kesra_officer, ekon_officer):
        _t, key = make_token(user)
        response = client.get("/api/v1/reports/monthly", params, **bearer(key))
        assert_error(response, 403, "permission_denied")
    _t, key = make_token(kesra_head)
    bad = client.get("/api/v1/reports/monthly", {**params, "month": "2026-13"}, **bearer(key))
    assert_error(bad, 400, "invalid_month")
