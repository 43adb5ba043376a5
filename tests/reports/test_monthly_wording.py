"""The monthly evaluation e-mail to the heads: its subject and text, in Indonesian and once in
English — every comparison line, with a figure missing this month and one missing the month
before (“–”), decimals written with a point whatever the language, the three links and the
sign-in note. A unit whose names hold ``&`` and quotes (and the dashboard link's own ``&``)
shows the plain-text message is not HTML-escaped."""

from __future__ import annotations

import pytest

from layanan.notify.models import OutboxMessage
from layanan.reports.metrics import Month
from layanan.reports.monthly import monthly_report_email

from .conftest import at, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(org, kesra_head):
    """Biro Kesra renamed with ``&`` and quotes; in November 2026 one case answered within the
    hour and closed after two, one still open and overdue; in October one closed late."""
    unit = org["biro-kesra"]
    unit.name = 'Biro "Kesra" & Rakyat'
    unit.short_name = 'Kesra & "Co"'
    unit.save(update_fields=["name", "short_name"])
    make_case(
        unit,
        received=at("2026-11-03"),
        first_response=at("2026-11-03", "09:30"),
        closed=at("2026-11-03", "10:00"),
        due=at("2026-11-04"),
    )
    make_case(unit, received=at("2026-11-05"), due=at("2026-11-06"))
    make_case(
        unit, received=at("2026-10-05"), closed=at("2026-10-07", "10:00"), due=at("2026-10-06")
    )
    return unit


def _sent(unit) -> tuple[str, str, str]:
    assert monthly_report_email(unit, Month(2026, 11)) == 1
    message = OutboxMessage.objects.get(kind="report.monthly")
    return message.recipient, message.subject, message.body


def test_monthly_report_in_indonesian(unit, kesra_head, settings):
    """The site's language (Indonesian), every line — “bulan sebelumnya” included (the phrase
    sat in an f-string and stayed English until the wording moved to a template)."""
    site = settings.SITE_URL
    assert _sent(unit) == (
        kesra_head.email,
        'Evaluasi bulanan: Kesra & "Co", November 2026',
        'Evaluasi bulanan Biro "Kesra" & Rakyat untuk November 2026.\n'
        "\n"
        "- Kasus diterima: 2 (bulan sebelumnya: 1)\n"
        "- Kasus selesai: 1 (bulan sebelumnya: 1)\n"
        "- Tepat waktu (%): 100.0 (bulan sebelumnya: 0.0)\n"
        "- Median waktu sampai tanggapan pertama (jam): 1.5 (bulan sebelumnya: –)\n"
        "- Persentil ke-90 waktu sampai tanggapan pertama (jam): 1.5 (bulan sebelumnya: –)\n"
        "- Median waktu sampai ditutup (jam): 2.0 (bulan sebelumnya: 50.0)\n"
        "- Persentil ke-90 waktu sampai ditutup (jam): 2.0 (bulan sebelumnya: 50.0)\n"
        "- Kasus terbuka: 1 (bulan sebelumnya: 0)\n"
        "- Kasus melewati batas waktu: 1 (bulan sebelumnya: 0)\n"
        "- IKM (konversi): – (bulan sebelumnya: –)\n"
        "- Responden IKM: 0 (bulan sebelumnya: 0)\n"
        "\n"
        f"Laporan (PDF): {site}/staf/laporan/biro-kesra/2026-11/evaluasi.pdf\n"
        f"Tabel (XLSX): {site}/staf/laporan/biro-kesra/2026-11/evaluasi.xlsx\n"
        f"Dasbor: {site}/staf/laporan/?unit=biro-kesra&bulan=2026-11\n"
        "\n"
        "Tautan dapat dibuka setelah Anda masuk ke area petugas.",
    )


def test_monthly_report_in_english(unit, kesra_head, settings):
    """The message is worded in the site's language, here English."""
    settings.LANGUAGE_CODE = "en"
    site = settings.SITE_URL
    assert _sent(unit) == (
        kesra_head.email,
        'Monthly evaluation: Kesra & "Co", November 2026',
        'Monthly evaluation of Biro "Kesra" & Rakyat for November 2026.\n'
        "\n"
        "- Cases received: 2 (previous month: 1)\n"
        "- Cases finished: 1 (previous month: 1)\n"
        "- On time (%): 100.0 (previous month: 0.0)\n"
        "- Median time to first response (hours): 1.5 (previous month: –)\n"
        "- 90th percentile time to first response (hours): 1.5 (previous month: –)\n"
        "- Median time to close (hours): 2.0 (previous month: 50.0)\n"
        "- 90th percentile time to close (hours): 2.0 (previous month: 50.0)\n"
        "- Open cases: 1 (previous month: 0)\n"
        "- Overdue cases: 1 (previous month: 0)\n"
        "- IKM (converted): – (previous month: –)\n"
        "- IKM respondents: 0 (previous month: 0)\n"
        "\n"
        f"Report (PDF): {site}/staf/laporan/biro-kesra/2026-11/evaluasi.pdf\n"
        f"Tables (XLSX): {site}/staf/laporan/biro-kesra/2026-11/evaluasi.xlsx\n"
        f"Dashboard: {site}/staf/laporan/?unit=biro-kesra&bulan=2026-11\n"
        "\n"
        "The links open after you sign in to the staff area.",
    )
