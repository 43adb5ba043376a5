"""The SKM report and its follow-up plan per survey period, on the staff pages: every member of
the unit reads it, the head writes the plan, another unit's staff see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.reports.models import SkmFollowUp
from layanan.surveys.models import SurveyPeriod
from tests.surveys.conftest import add_responses
from tests.surveys.test_ikm import WORKED

D = dt.date


@pytest.fixture
def periods(org):
    kesra = org["biro-kesra"]
    first = SurveyPeriod.objects.create(
        unit=kesra, name="Semester I 2026", slug="skm-kesra-1-2026", start=D(2026, 1, 1),
        end=D(2026, 6, 30), population=100, auto=True,
    )  # fmt: skip
    second = SurveyPeriod.objects.create(
        unit=kesra, name="Semester II 2026", slug="skm-kesra-2-2026", start=D(2026, 7, 1),
        end=D(2026, 12, 31), auto=True,
    )  # fmt: skip
    SurveyPeriod.objects.create(
        unit=org["biro-perekonomian"], name="Ekon 2026", slug="ekon-2026", start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )  # fmt: skip
    add_responses(WORKED, unit=kesra, answered_on=D(2026, 3, 2))
    SkmFollowUp.objects.create(
        unit=kesra, start=first.start, end=first.end, text="Perbaiki papan informasi."
    )
    return first, second


def url(unit="biro-kesra", **query):
    base = reverse("reports:skm", args=[unit])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["kesra_front", "kesra_officer", "kesra_head", "auditor"])
def test_members_read_a_period_report_and_its_plan(client, personas, periods, who):
    """Front desk, complaint officer, head and auditor open the first half-year's report: its
    figures (4 respondents, IKM 81.25 in the worked example), its follow-up plan, and the list
    of the unit's periods linking to each report (the other bureau's period is not listed)."""
    client.force_login(personas[who])
    page = client.get(url(periode="skm-kesra-1-2026"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Perbaiki papan informasi." in html
    assert "81,25" in html or "81.25" in html
    assert url(periode="skm-kesra-2-2026") in html
    assert 'aria-current="page">Semester I 2026' in html
    assert "Ekon 2026" not in html
    pdf = client.get(reverse("reports:skm_pdf", args=["biro-kesra"]) + "?periode=skm-kesra-1-2026")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_staff_find_the_report_from_the_menu(client, personas, periods):
    """A member without the reports (front desk) gets an "SKM report" link to their unit's
    report in the staff menu; a head keeps the "Reports" link."""
    client.force_login(personas["kesra_front"])
    html = client.get(reverse("cases:inbox")).content.decode()
    assert f'href="{url()}"' in html
    assert reverse("reports:dashboard") + '"' not in html
    client.force_login(personas["kesra_head"])
    html = client.get(reverse("cases:inbox")).content.decode()
    assert reverse("reports:dashboard") in html


@pytest.mark.django_db
def test_only_the_head_writes_the_plan_of_a_period(client, personas, periods):
    """The head saves the second half-year's plan against that period's dates; the front desk's
    attempt is refused and changes nothing."""
    first, second = periods
    client.force_login(personas["kesra_front"])
    assert client.post(url(periode=second.slug), {"text": "Tidak boleh"}).status_code == 403
    assert not SkmFollowUp.objects.filter(start=second.start).exists()
    client.force_login(personas["kesra_head"])
    response = client.post(url(periode=second.slug), {"text": "Tambah kios survei."})
    assert response.status_code == 302
    plan = SkmFollowUp.objects.get(unit=first.unit, start=second.start, end=second.end)
    assert plan.text == "Tambah kios survei." and plan.by == personas["kesra_head"]
    assert SkmFollowUp.objects.get(start=first.start).text == "Perbaiki papan informasi."


@pytest.mark.django_db
def test_another_unit_sees_nothing(client, personas, periods):
    """Perekonomian's officer gets a 404 for Kesra's report, its PDF and its spreadsheet."""
    client.force_login(personas["ekon_officer"])
    assert client.get(url(periode="skm-kesra-1-2026")).status_code == 404
    for name in ("skm_pdf", "skm_xlsx"):
        assert client.get(reverse(f"reports:{name}", args=["biro-kesra"])).status_code == 404
