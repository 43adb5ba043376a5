"""One rule for what a published IKM covers (surveys/scope.py) — the period running today, else
the last 12 months — and one sample-size warning, the same on the results page, the staff
dashboard and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from layanan.cases.models import Case, CaseKind, Channel, Status
from layanan.surveys.models import SurveyPeriod
from layanan.surveys.scope import period_population, results_scope, rolling_start

from .conftest import add_responses

D = dt.date


def test_rolling_start_is_the_day_after_a_year_ago():
    """12 months up to 9 Dec 2026 start on 10 Dec 2025; from 29 Feb 2028, on 1 Mar 2027."""
    assert rolling_start(D(2026, 12, 9)) == D(2025, 12, 10)
    assert rolling_start(D(2028, 2, 29)) == D(2027, 3, 1)


@pytest.mark.django_db
def test_running_period_wins_else_the_last_12_months(org):
    """A period running on the day is chosen, the unit's own before an office-wide one; a
    period that has ended or not begun is not; with none running, the 12 months up to the day."""
    kesra = org["biro-kesra"]
    day = D(2026, 12, 9)
    SurveyPeriod.objects.create(name="Lalu", slug="lalu", start=D(2026, 1, 1), end=D(2026, 6, 30))
    SurveyPeriod.objects.create(name="Depan", slug="depan", start=D(2027, 1, 1), end=D(2027, 6, 30))
    scope = results_scope(kesra, today=day)
    assert (scope.period, scope.start, scope.end) == (None, D(2025, 12, 10), D(2026, 12, 9))
    assert scope.rolling
    office = SurveyPeriod.objects.create(
        name="II 2026", slug="ii-2026", start=D(2026, 7, 1), end=D(2026, 12, 31)
    )
    assert results_scope(kesra, today=day).period == office
    assert results_scope(today=day).period == office
    own = SurveyPeriod.objects.create(
        unit=kesra, name="Kesra Q4", slug="kesra-q4", start=D(2026, 10, 1), end=D(2026, 12, 31)
    )
    assert results_scope(kesra, today=day).period == own
    assert results_scope(org["kesra-bina-mental"], today=day).period == own  # an ancestor's
    assert results_scope(org["biro-umum"], today=day).period == office
    assert results_scope(today=day).period == office  # the public page: office-wide only


@pytest.mark.django_db
def test_people_served_of_a_period_count_for_its_own_unit_only(org):
    """The administrator's head-count is the period's unit's (an office-wide period's: the top
    unit's), never a sub-unit's or one service's."""
    kesra, top = org["biro-kesra"], org["pemprov-kalbar"]
    own = SurveyPeriod(unit=kesra, name="K", slug="k", start=D(2026, 1, 1), end=D(2026, 12, 31))
    own.population = 500
    office = SurveyPeriod(name="O", slug="o", start=D(2026, 1, 1), end=D(2026, 12, 31))
    office.population = 9000
    assert period_population(own, kesra) == 500
    assert period_population(own, org["kesra-bina-mental"]) is None
    assert period_population(own, kesra, service=object()) is None
    assert period_population(office, top) == 9000
    assert period_population(office, kesra) is None


def _cases(unit, n):
    now = timezone.now()
    for i in range(n):
        Case.objects.create(
            kind=CaseKind.COMPLAINT, number=f"S/{i:06d}", public_code=f"S{i:011d}", unit=unit,
            channel=Channel.WEB, status=Status.RECEIVED, received_at=now - dt.timedelta(days=2),
        )  # fmt: skip


@pytest.mark.django_db
def test_one_answer_gets_the_same_figure_and_warning_everywhere(client, org, admin_user):
    """One respondent for six people served (Krejcie–Morgan below 10: all six) and no period:
    the results page, the staff dashboard and the API each show 83,33 (answers 3,3,3,4,4,4,
    3,3,3 → NRR sum 30/9 × 25 = 83.33), the last 12 months, and the warning "1 of 6"."""
    kesra = org["biro-kesra"]
    _cases(kesra, 6)
    add_responses([(3, 3, 3, 4, 4, 4, 3, 3, 3)], unit=kesra, answered_on=timezone.localdate())
    warning = "Hanya 1 responden: diperlukan sekurang-kurangnya 6 untuk 6 orang yang dilayani"
    with translation.override("id"):
        public = client.get(reverse("surveys:results"), HTTP_ACCEPT_LANGUAGE="id")
        public_html = public.content.decode()
        client.force_login(admin_user)
        staff_html = client.get(
            reverse("reports:dashboard"), {"unit": "biro-kesra"}, HTTP_ACCEPT_LANGUAGE="id"
        ).content.decode()
    api = client.get("/api/v1/ikm", {"unit": "biro-kesra"}, HTTP_ACCEPT_LANGUAGE="id").json()
    for html in (public_html, staff_html):
        assert "83,33" in html
        assert "12 bulan terakhir" in html
        assert warning in html
    section = re.search(r'id="satisfaction-title".*?</section>', staff_html, re.S).group(0)
    assert "83,33" in section and warning in section
    assert reverse("admin:surveys_surveyperiod_add") in section  # where a period is created
    assert api["ikm_converted"] == 83.33 and api["period"] is None
    assert (api["respondents"], api["min_sample"], api["sample_sufficient"]) == (1, 6, False)
    assert api["warnings"] and api["warnings"][0].startswith(warning)
    start = rolling_start(timezone.localdate())
    assert api["from"] == start.isoformat() and api["to"] == timezone.localdate().isoformat()


@pytest.mark.django_db
def test_a_running_period_is_named_and_no_admin_link_is_offered(client, org, admin_user):
    """With a period running, every page names it and the staff dashboard does not ask for one;
    the API says which period it used."""
    today = timezone.localdate()
    SurveyPeriod.objects.create(
        name="SKM Semester Ini", slug="semester-ini",
        start=today - dt.timedelta(days=10), end=today + dt.timedelta(days=10),
    )  # fmt: skip
    add_responses([(4,) * 9], unit=org["biro-kesra"], answered_on=today)
    assert "SKM Semester Ini" in client.get(reverse("surveys:results")).content.decode()
    assert client.get("/api/v1/ikm", {"unit": "biro-kesra"}).json()["period"] == "semester-ini"
    client.force_login(admin_user)
    html = client.get(reverse("reports:dashboard"), {"unit": "biro-kesra"}).content.decode()
    assert "SKM Semester Ini" in html
    assert reverse("admin:surveys_surveyperiod_add") not in html


@pytest.mark.django_db
def test_monthly_report_api_and_xlsx_carry_the_same_satisfaction(client, org, kesra_head):
    """The monthly evaluation's API answer and XLSX carry the dashboard's satisfaction block:
    one answer of all 4s (100.00) for six people served, the last 12 months, the warning."""
    from io import BytesIO

    from openpyxl import load_workbook

    from layanan.api.services import api_token_create

    kesra = org["biro-kesra"]
    _cases(kesra, 6)
    add_responses([(4,) * 9], unit=kesra, answered_on=timezone.localdate())
    month = timezone.localdate().strftime("%Y-%m")
    _token, key = api_token_create(user=kesra_head, name="Uji")
    data = client.get(
        "/api/v1/reports/monthly",
        {"unit": "biro-kesra", "month": month},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    sat = data["satisfaction"]
    assert sat["period"] is None and sat["end"] == timezone.localdate().isoformat()
    assert (sat["respondents"], sat["ikm_converted"], sat["min_sample"]) == (1, 100.0, 6)
    assert sat["sample_sufficient"] is False and len(sat["warnings"]) == 1
    client.force_login(kesra_head)
    xlsx = client.get(reverse("reports:monthly_xlsx", args=["biro-kesra", month]))
    sheet = load_workbook(BytesIO(xlsx.content))["Kepuasan (IKM)"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Responden"] == 1 and values["IKM (konversi)"] == 100.0
    assert values["Sampel minimum"] == 6 and values["Perhatian:"].startswith("Hanya 1 responden")
