"""The monthly e-mail: the first working day of the month on the real calendar, one message
per head through the outbox, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from layanan.notify.models import OutboxMessage
from layanan.reports.metrics import Month
from layanan.reports.monthly import first_working_day, send_monthly_reports

from .conftest import at, make_case


@pytest.fixture
def calendar(db):
    """The seed calendar, with 2026 and 2027 synced whatever year the tests run in."""
    from layanan.workdays.services import holidays_sync

    call_command("load_demo", "--no-users", verbosity=0)
    for year in (2026, 2027):
        holidays_sync(year=year)


def test_first_working_day_skips_new_year_and_the_weekend(calendar):
    """1 Jan 2027 is a Friday and a national holiday, 2–3 Jan a weekend: the first working day
    of January 2027 is Monday 4 January. November 2026 starts on a Sunday: Monday 2 Nov."""
    assert first_working_day(Month(2027, 1)) == dt.date(2027, 1, 4)
    assert first_working_day(Month(2026, 11)) == dt.date(2026, 11, 2)
    assert first_working_day(Month(2026, 12)) == dt.date(2026, 12, 1)


def test_sends_last_months_report_to_each_head_once(calendar, org, kesra_head, tmp_path):
    """On 4 Jan 2027 the head of Kesra gets December 2026's evaluation (figures, links, the PDF
    and XLSX attached);
    running again the same day or the next queues nothing more."""
    make_case(
        org["biro-kesra"],
        received=at("2026-12-03"),
        closed=at("2026-12-03", "10:00"),
        due=at("2026-12-04"),
    )
    assert send_monthly_reports(today=dt.date(2027, 1, 1)).queued == 0  # a holiday
    result = send_monthly_reports(today=dt.date(2027, 1, 4))
    assert result.month == Month(2026, 12) and result.queued == 1
    message = OutboxMessage.objects.get(kind="report.monthly")
    assert message.recipient == kesra_head.email
    assert "Biro Kesejahteraan Rakyat" in message.body and "Desember 2026" in message.body
    assert "/staf/laporan/biro-kesra/2026-12/evaluasi.pdf" in message.body
    assert "/staf/laporan/biro-kesra/2026-12/evaluasi.xlsx" in message.body
    # the report itself travels with the message: PDF and XLSX
    files = {a.filename: a for a in message.attachments.all()}
    assert sorted(a.content_type for a in files.values()) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    pdf = next(a for a in files.values() if a.content_type == "application/pdf")
    assert bytes(pdf.content).startswith(b"%PDF-")
    assert send_monthly_reports(today=dt.date(2027, 1, 4)).queued == 0
    call_command(
        "monthly_report",
        "--unit",
        "biro-kesra",
        "--month",
        "2026-12",
        "--email",
        "--output",
        str(tmp_path),
        verbosity=0,
    )
    assert OutboxMessage.objects.filter(kind="report.monthly").count() == 1


def test_other_days_do_nothing(calendar, org, kesra_head):
    """The command is safe to run daily: any other day queues nothing."""
    call_command("send_monthly_reports", "--date", "2027-01-05", verbosity=0)
    call_command("send_monthly_reports", "--date", "2026-12-02", verbosity=0)
    assert not OutboxMessage.objects.exists()
