"""The monthly evaluation and the SKM report as files: the XLSX opens and holds the figures, the
PDF's text names the unit, the month and the key figures; the head's follow-up plan is saved."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from layanan.reports import exports
from layanan.reports.metrics import Month
from layanan.reports.models import SkmFollowUp
from layanan.reports.skm import skm_report
from layanan.reports.summary import evaluation
from layanan.surveys.models import SurveyResponse

from .conftest import at, make_case

OCT = Month(2026, 10)


@pytest.fixture
def kesra(org):
    unit = org["biro-kesra"]
    start = at("2026-10-05", "08:00")
    for hours in (1, 2, 5, 6):  # 2 of 4 on time against 3 hours
        make_case(
            unit,
            received=start,
            due=start + dt.timedelta(hours=3),
            first_response=start + dt.timedelta(minutes=30),
            answered=start + dt.timedelta(hours=hours),
            closed=start + dt.timedelta(hours=hours),
        )
    make_case(
        unit, received=at("2026-09-10"), closed=at("2026-09-10", "10:00"), due=at("2026-09-11")
    )
    return unit


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_monthly_xlsx_holds_the_figures(kesra):
    """The workbook opens with openpyxl; the summary compares October with September."""
    wb = load_workbook(io.BytesIO(exports.evaluation_xlsx(evaluation(kesra, OCT))))
    rows = {r[0]: r[1:] for r in wb["Ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert rows["Kasus diterima"][:2] == (4, 1)
    assert rows["Tepat waktu (%)"][0] == 50.0
    assert "Biro Kesejahteraan Rakyat" in wb["Ringkasan"]["A1"].value


def test_monthly_pdf_names_unit_month_and_figures(kesra):
    """The PDF's text holds the unit, the month, and the on-time rate."""
    text = _pdf_text(exports.evaluation_pdf(evaluation(kesra, OCT)))
    assert "Biro Kesejahteraan Rakyat" in text
    assert "Oktober 2026" in text and "September 2026" in text
    assert "50,0" in text  # the on-time rate, written the Indonesian way


def test_monthly_report_command_writes_both_files(kesra, tmp_path):
    """manage.py monthly_report writes the PDF and XLSX of the unit and month."""
    call_command(
        "monthly_report", "--unit", "biro-kesra", "--month", "2026-10", "--output", str(tmp_path)
    )
    assert (tmp_path / "evaluasi-biro-kesra-2026-10.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "evaluasi-biro-kesra-2026-10.xlsx").stat().st_size > 0


def test_downloads_for_the_head(client, kesra, kesra_head):
    """The head downloads both files of the unit's evaluation, and they hold its figures: the
    PDF names the unit and the month with the on-time rate, the workbook has 4 cases received
    in October (1 in September) and 50 % on time."""
    client.force_login(kesra_head)
    pdf = client.get(reverse("reports:monthly_pdf", args=["biro-kesra", "2026-10"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert "Biro Kesejahteraan Rakyat" in text and "Oktober 2026" in text and "50,0" in text
    xlsx = client.get(reverse("reports:monthly_xlsx", args=["biro-kesra", "2026-10"]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    data = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    rows = {
        r[0]: r[1:]
        for r in load_workbook(io.BytesIO(data))["Ringkasan"].iter_rows(min_row=4, values_only=True)
    }
    assert rows["Kasus diterima"][:2] == (4, 1)
    assert rows["Tepat waktu (%)"][0] == 50.0


@pytest.fixture
def responses(kesra):
    answers = [
        (4, 4, 3, 4, 4, 4, 4, 2, 3, "L", 30, "s1", "pns", "Antrean terlalu lama"),
        (3, 4, 2, 4, 3, 4, 4, 2, 3, "P", 45, "sma", "swasta", ""),
        (4, 3, 2, 4, 4, 4, 3, 1, 3, "", None, "", "", "Ruang tunggu panas"),
    ]
    for *u, gender, age, education, occupation, comment in answers:
        SurveyResponse.objects.create(
            unit=kesra,
            channel="kiosk",
            answered_on=dt.date(2026, 10, 10),
            **{f"u{i + 1}": v for i, v in enumerate(u)},
            gender=gender,
            age=age,
            education=education,
            occupation=occupation,
            comment=comment,
        )
    return kesra


def test_skm_report_profile_lowest_and_comments(responses):
    """Profile counts, the lowest elements by NRR (u8 1.67, u3 2.33, then u9 3.00) and the
    comments, hand-computed."""
    report = skm_report(unit=responses, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    assert report.ikm.respondents == 3
    assert [e.element.field for e in report.lowest] == ["u8", "u3", "u9"]
    gender = dict(report.profile[0].rows)
    assert list(gender.values()) == [1, 1, 1]
    assert set(report.comments) == {"Antrean terlalu lama", "Ruang tunggu panas"}


def test_skm_follow_up_saved_by_head_and_in_the_files(client, responses, kesra_head):
    """The head saves the follow-up plan; it is in the PDF and the XLSX of the same period."""
    client.force_login(kesra_head)
    url = reverse("reports:skm", args=["biro-kesra"]) + "?dari=2026-10-01&sampai=2026-10-31"
    response = client.post(url, {"text": "Menambah kipas angin di ruang tunggu."})
    assert response.status_code == 302
    plan = SkmFollowUp.objects.get(unit=responses)
    assert (plan.start, plan.end, plan.by) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        kesra_head,
    )
    page = client.get(url).content.decode()
    assert "Menambah kipas angin" in page
    pdf = client.get(
        reverse("reports:skm_pdf", args=["biro-kesra"]) + "?dari=2026-10-01&sampai=2026-10-31"
    )
    text = _pdf_text(pdf.content)
    assert "Menambah kipas angin" in text and "Biro Kesejahteraan Rakyat" in text
    xlsx = client.get(
        reverse("reports:skm_xlsx", args=["biro-kesra"]) + "?dari=2026-10-01&sampai=2026-10-31"
    )
    wb = load_workbook(io.BytesIO(xlsx.content))
    values = [row for sheet in wb for row in sheet.iter_rows(values_only=True)]
    assert any("Menambah kipas angin di ruang tunggu." in row for row in values)


def test_skm_empty_plan_keeps_the_form_with_an_error(client, responses, kesra_head):
    """An empty plan is refused with a message; nothing is saved."""
    client.force_login(kesra_head)
    response = client.post(reverse("reports:skm", args=["biro-kesra"]), {"text": "  "})
    assert response.status_code == 200
    assert not SkmFollowUp.objects.exists()


def test_skm_bad_dates_are_explained(client, responses, kesra_head):
    """A last day before the first day is a translated error, not a 500."""
    client.force_login(kesra_head)
    response = client.get(
        reverse("reports:skm", args=["biro-kesra"]), {"dari": "2026-10-31", "sampai": "2026-10-01"}
    )
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
