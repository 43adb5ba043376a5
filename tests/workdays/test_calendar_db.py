"""The calendar read from the database: holidays, office hours inherited down the unit tree,
overrides (unit beats global), and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan.workdays.deadlines import Calendar, deadline
from layanan.workdays.models import Holiday, OfficeHours, OfficeHoursOverride

from .conftest import at, dur

pytestmark = pytest.mark.django_db


@pytest.fixture
def kesra_hours(org):
    """Biro Kesra keeps its own week: Mon–Thu 08:00–15:00, Fri 08:00–11:30, Sat 08:00–12:00."""
    rows = [(d, dt.time(8), dt.time(15)) for d in range(4)]
    rows += [(4, dt.time(8), dt.time(11, 30)), (5, dt.time(8), dt.time(12))]
    for weekday, opens, closes in rows:
        OfficeHours.objects.create(
            unit=org["biro-kesra"], weekday=weekday, opens=opens, closes=closes
        )
    return org


def test_deadline_reads_holidays_from_the_table(holidays_2026, org):
    """With the official list in the table: Wed 11 Mar 10:00 + 5 working days → Wed 25 Mar
    16:00 (see test_deadlines for the count)."""
    result = deadline(at(2026, 3, 11, 10), dur(5, "working_days"), unit=org["biro-kesra"])
    assert result == at(2026, 3, 25, 16)


def test_cancelled_holiday_is_a_working_day(holidays_2026):
    """A cuti bersama cancelled by decree (Wed 18 Mar) opens the office again: Tue 17 Mar 09:00
    + 1 working day → Wed 18 Mar 16:00."""
    Holiday.objects.filter(date=dt.date(2026, 3, 18)).update(cancelled=True)
    result = deadline(at(2026, 3, 17, 9), dur(1, "working_days"))
    assert result == at(2026, 3, 18, 16)


def test_child_unit_inherits_the_nearest_ancestors_week(kesra_hours, holidays_2026):
    """Bagian Bina Mental has no rows: it uses Biro Kesra's week, where Saturday is open.
    Sat 7 Mar 10:00 + 3 hours: 2 hours until 12:00, 1 hour from Mon 9 Mar 08:00 → 09:00."""
    org = kesra_hours
    result = deadline(at(2026, 3, 7, 10), dur(3, "hours"), unit=org["kesra-bina-mental"])
    assert result == at(2026, 3, 9, 9)


def test_sibling_unit_uses_the_system_default(kesra_hours, holidays_2026):
    """Biro Perekonomian (no rows, nor its ancestors): Sat closed; Sat 7 Mar 10:00 + 3 hours →
    Mon 9 Mar 07:30 + 3 h = 10:30."""
    org = kesra_hours
    result = deadline(at(2026, 3, 7, 10), dur(3, "hours"), unit=org["biro-perekonomian"])
    assert result == at(2026, 3, 9, 10, 30)


def test_unit_with_own_rows_closes_on_days_without_a_row(kesra_hours, holidays_2026):
    """Biro Kesra defines no Sunday row: Sunday is closed; its Friday closes 11:30. Thu 12 Mar
    10:00 + 1 working day → Fri 13 Mar 11:30."""
    org = kesra_hours
    cal = Calendar.for_unit(org["biro-kesra"])
    assert not cal.is_working_day(dt.date(2026, 3, 15))
    assert cal.is_working_day(dt.date(2026, 3, 14))
    assert deadline(at(2026, 3, 12, 10), dur(1, "working_days"), calendar=cal) == at(
        2026, 3, 13, 11, 30
    )


def test_own_rows_beat_an_ancestors(kesra_hours, holidays_2026):
    """When Bagian Bina Mental gets its own Monday-only week (09:00–10:00), Kesra's rows no
    longer apply to it: Mon 9 Mar 09:30 + 1 hour: 30 min until 10:00, 30 min from Mon 16 Mar
    09:00 → 09:30."""
    org = kesra_hours
    OfficeHours.objects.create(
        unit=org["kesra-bina-mental"], weekday=0, opens=dt.time(9), closes=dt.time(10)
    )
    result = deadline(at(2026, 3, 9, 9, 30), dur(1, "hours"), unit=org["kesra-bina-mental"])
    assert result == at(2026, 3, 16, 9, 30)


def test_unit_override_beats_global_override(kesra_hours, holidays_2026):
    """Tue 10 Mar: every unit closes at 12:00 (global), Biro Kesra is closed all day (its own
    override, which also covers its divisions).
    - Bina Mental (Kesra's week), Mon 9 Mar 10:00 + 1 working day: Tue 10 closed → Wed 11 Mar
      15:00.
    - Perekonomian (default week), same: Tue 10 Mar closes 12:00 → 12:00."""
    org = kesra_hours
    OfficeHoursOverride.objects.create(
        date_from=dt.date(2026, 3, 10),
        date_to=dt.date(2026, 3, 10),
        closes=dt.time(12),
        reason="Upacara",
    )
    OfficeHoursOverride.objects.create(
        unit=org["biro-kesra"],
        date_from=dt.date(2026, 3, 10),
        date_to=dt.date(2026, 3, 10),
        closed=True,
        reason="Pindah kantor",
    )
    one_day = dur(1, "working_days")
    assert deadline(at(2026, 3, 9, 10), one_day, unit=org["kesra-bina-mental"]) == at(
        2026, 3, 11, 15
    )
    assert deadline(at(2026, 3, 9, 10), one_day, unit=org["biro-perekonomian"]) == at(
        2026, 3, 10, 12
    )


def test_ramadan_override_from_the_table(org, holidays_2026):
    """Global Ramadan override 19 Feb – 19 Mar 2026, Mon–Thu 08:00–15:00: Wed 25 Feb 13:00 +
    3 hours → 2 h until 15:00, 1 h from Thu 26 Feb 08:00 → 09:00."""
    OfficeHoursOverride.objects.create(
        date_from=dt.date(2026, 2, 19),
        date_to=dt.date(2026, 3, 19),
        weekdays="0123",
        opens=dt.time(8),
        closes=dt.time(15),
        reason="Ramadan 1447 H",
    )
    result = deadline(at(2026, 2, 25, 13), dur(3, "hours"), unit=org["biro-umum"])
    assert result == at(2026, 2, 26, 9)


def test_year_end_deadline_costs_a_bounded_number_of_queries(
    kesra_hours, holidays_2026, django_assert_max_num_queries
):
    """Mon 21 Dec 2026 10:00 + 7 working days for Bagian Perekonomian SDA (default week):
    22, 23, [24–27], 28, 29, 30, 31, [1 Jan 2027], Mon 4 Jan 2027 → 16:00. Queries: ancestors,
    office hours, then holidays + overrides for 2026 and for 2027 = 6, not one per day."""
    org = kesra_hours
    with django_assert_max_num_queries(6):
        result = deadline(at(2026, 12, 21, 10), dur(7, "working_days"), unit=org["ekon-sda"])
    assert result == at(2027, 1, 4, 16)


def test_calendar_reports_years_without_holiday_rows(org):
    """An empty table for 2026 is noticed (the command warns about it)."""
    cal = Calendar.for_unit(None)
    assert cal.is_working_day(dt.date(2026, 3, 18))  # nothing known: a plain Wednesday
    assert cal.years_without_holidays == {2026}
