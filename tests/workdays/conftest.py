"""Fixtures for the working-day calendar.

``OFFICIAL_2026`` is typed by hand from REGULATIONS.md (SKB 3 Menteri No. 1497/2025, 2/2025,
5/2025): 17 national holidays and 8 days of cuti bersama. Expected deadlines in these tests are
worked out by hand from this list and a printed 2026 calendar, never from the code's output.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from layanan.workdays.deadlines import Calendar
from layanan.workdays.durations import Duration

WIB = ZoneInfo("Asia/Pontianak")
NATIONAL = "national_holiday"
CUTI = "cuti_bersama"

OFFICIAL_2026: dict[dt.date, str] = {
    dt.date(2026, 1, 1): NATIONAL,  # Tahun Baru Masehi
    dt.date(2026, 1, 16): NATIONAL,  # Isra Mikraj
    dt.date(2026, 2, 16): CUTI,  # Imlek
    dt.date(2026, 2, 17): NATIONAL,  # Imlek
    dt.date(2026, 3, 18): CUTI,  # Nyepi
    dt.date(2026, 3, 19): NATIONAL,  # Nyepi
    dt.date(2026, 3, 20): CUTI,  # Idul Fitri
    dt.date(2026, 3, 21): NATIONAL,  # Idul Fitri
    dt.date(2026, 3, 22): NATIONAL,  # Idul Fitri, day 2
    dt.date(2026, 3, 23): CUTI,  # Idul Fitri
    dt.date(2026, 3, 24): CUTI,  # Idul Fitri
    dt.date(2026, 4, 3): NATIONAL,  # Wafat Yesus Kristus
    dt.date(2026, 4, 5): NATIONAL,  # Paskah
    dt.date(2026, 5, 1): NATIONAL,  # Hari Buruh
    dt.date(2026, 5, 14): NATIONAL,  # Kenaikan Yesus Kristus
    dt.date(2026, 5, 15): CUTI,  # Kenaikan Yesus Kristus
    dt.date(2026, 5, 27): NATIONAL,  # Idul Adha
    dt.date(2026, 5, 28): CUTI,  # Idul Adha
    dt.date(2026, 5, 31): NATIONAL,  # Waisak
    dt.date(2026, 6, 1): NATIONAL,  # Pancasila
    dt.date(2026, 6, 16): NATIONAL,  # 1 Muharam
    dt.date(2026, 8, 17): NATIONAL,  # Kemerdekaan
    dt.date(2026, 8, 25): NATIONAL,  # Maulid Nabi
    dt.date(2026, 12, 24): CUTI,  # Natal
    dt.date(2026, 12, 25): NATIONAL,  # Natal
}
# New Year's Day is a national holiday every year (fixed date): needed for year-end deadlines.
NEW_YEAR_2027 = dt.date(2027, 1, 1)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    """An aware datetime in Pontianak time (WIB)."""
    return dt.datetime(y, mo, d, h, mi, tzinfo=WIB)


def dur(value, unit: str) -> Duration:
    return Duration(value=value, unit=unit, text=f"{value} {unit}")


def official_calendar(**kwargs) -> Calendar:
    """A calendar built without the database: the official 2026 list + 1 Jan 2027."""
    holidays = {day: (f"holiday {day}", kind) for day, kind in OFFICIAL_2026.items()}
    holidays[NEW_YEAR_2027] = ("Tahun Baru Masehi", NATIONAL)
    return Calendar(holidays=holidays, **kwargs)


@pytest.fixture
def cal() -> Calendar:
    return official_calendar()


@pytest.fixture
def holidays_2026(db):
    """The official 2026 list (and 1 Jan 2027) in the Holiday table, as an admin would have it."""
    from layanan.workdays.models import Holiday, HolidaySource

    rows = [
        Holiday(date=day, name=f"holiday {day}", kind=kind, source=HolidaySource.MANUAL)
        for day, kind in OFFICIAL_2026.items()
    ]
    rows.append(Holiday(date=NEW_YEAR_2027, name="Tahun Baru Masehi", kind=NATIONAL))
    return Holiday.objects.bulk_create(rows)
