"""manage.py deadline START DURATION [--unit SLUG]."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layanan.workdays import durations
from layanan.workdays.durations import Duration

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("deadline", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_iso_with_offset(holidays_2026):
    """2026-03-11T10:00 (local) + 5 working days → 2026-03-25T16:00:00+07:00 (hand count in
    test_deadlines), nothing on stderr."""
    out, err = run("2026-03-11T10:00", "5 working_days")
    assert out == "2026-03-25T16:00:00+07:00\n"
    assert err == ""


def test_start_with_an_offset(holidays_2026):
    """03:00Z is 10:00 WIB: same deadline."""
    out, _err = run("2026-03-11T03:00+00:00", "5 working_days")
    assert out == "2026-03-25T16:00:00+07:00\n"


def test_verbose_adds_the_indonesian_wording(holidays_2026):
    """-v 2 also writes the plain-Indonesian due time to stderr."""
    _out, err = run("2026-03-11T10:00", "5 working_days", "--verbosity", "2")
    assert "Rabu, 25 Maret 2026 pukul 16.00 WIB" in err


def test_warns_when_the_year_has_no_holidays(db):
    """Empty table: warning on stderr, computed with weekends only: after Wed 11 Mar: 12, 13,
    16, 17, Wed 18 → 2026-03-18T16:00:00+07:00."""
    out, err = run("2026-03-11T10:00", "5 working_days")
    assert out == "2026-03-18T16:00:00+07:00\n"
    assert "no rows for 2026" in err and "sync_holidays 2026" in err


def test_unit_office_hours(org, holidays_2026):
    """--unit biro-kesra with its own Friday closing at 11:30: Thu 12 Mar 10:00 + 1 working day
    → Fri 13 Mar 11:30."""
    import datetime as dt

    from layanan.workdays.models import OfficeHours

    for weekday in range(5):
        OfficeHours.objects.create(
            unit=org["biro-kesra"],
            weekday=weekday,
            opens=dt.time(8),
            closes=dt.time(11, 30) if weekday == 4 else dt.time(15),
        )
    out, _err = run("2026-03-12T10:00", "1 working_days", "--unit", "biro-kesra")
    assert out == "2026-03-13T11:30:00+07:00\n"


def test_unknown_unit_and_bad_start():
    """Bad input is a CommandError, never a traceback."""
    with pytest.raises(CommandError, match="Unknown unit"):
        run("2026-03-11T10:00", "5 working_days", "--unit", "nope")
    with pytest.raises(CommandError, match="ISO 8601"):
        run("11/03/2026", "5 working_days")


def test_uses_the_indonesian_parser(holidays_2026, monkeypatch):
    """Other forms go through durations.parse_duration (stand-in parser here)."""

    def fake_parse(text):
        assert text == "5 hari kerja"
        return Duration(value=5, unit="working_days", text=text)

    monkeypatch.setattr(durations, "parse_duration", fake_parse, raising=False)
    out, _err = run("2026-03-11T10:00", "5 hari kerja")
    assert out == "2026-03-25T16:00:00+07:00\n"


def test_descriptive_duration_prints_nothing(holidays_2026, monkeypatch):
    """A duration without value (e.g. "Sesuai materi konsultasi") has no deadline."""
    monkeypatch.setattr(
        durations,
        "parse_duration",
        lambda text: Duration(value=None, unit=None, text=text),
        raising=False,
    )
    out, err = run("2026-03-11T10:00", "Sesuai materi konsultasi")
    assert out == ""
    assert "No deadline" in err


@pytest.mark.skipif(
    not hasattr(durations, "parse_duration"), reason="Indonesian duration parser not landed yet"
)
def test_real_parser_hari_kerja(holidays_2026):
    """The example from the brief with the real parser: "5 hari kerja"."""
    out, _err = run("2026-03-11T10:00", "5 hari kerja")
    assert out == "2026-03-25T16:00:00+07:00\n"
