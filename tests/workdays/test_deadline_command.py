"""manage.py deadline START DURATION [--unit SLUG]."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


def test_descriptive_duration_prints_nothing(holidays_2026):
    """A duration without value ("Sesuai materi konsultasi", as seed 003 writes it) has no
    deadline: nothing on stdout, the reason on stderr."""
    out, err = run("2026-03-11T10:00", "Sesuai materi konsultasi")
    assert out == ""
    assert "No deadline" in err


def test_real_parser_hari_kerja(holidays_2026):
    """The example from the brief through the Indonesian parser: "5 hari kerja" from Wed
    11 Mar 2026 10:00 is Wed 25 Mar 16:00 WIB (hand-counted: Thu 12, Fri 13, Mon 16, Tue 17,
    then cuti bersama 18 Mar, Nyepi 19 Mar, cuti bersama 20, 23, 24 Mar, so Wed 25 is the
    fifth)."""
    out, _err = run("2026-03-11T10:00", "5 hari kerja")
    assert out == "2026-03-25T16:00:00+07:00\n"
