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

#: 2027 as the ``holidays`` package (0.109) lists it — 18 national holidays and 8 days of cuti
#: bersama — typed by hand and checked day by day against a printed 2027 calendar. The SKB for
#: 2027 is not in REGULATIONS.md; Idul Fitri (10–11 Mar) and Idul Adha (17 May) are the package's
#: estimates, which an administrator confirms against the decree.
PACKAGE_2027: dict[dt.date, str] = {
    dt.date(2027, 1, 1): NATIONAL,  # Fri, Tahun Baru Masehi
    dt.date(2027, 1, 5): NATIONAL,  # Tue, Isra Mikraj 1448 H
    dt.date(2027, 2, 5): CUTI,  # Fri, Imlek
    dt.date(2027, 2, 6): NATIONAL,  # Sat, Imlek
    dt.date(2027, 3, 8): NATIONAL,  # Mon, Nyepi
    dt.date(2027, 3, 9): CUTI,  # Tue, Idul Fitri
    dt.date(2027, 3, 10): NATIONAL,  # Wed, Idul Fitri (estimate)
    dt.date(2027, 3, 11): NATIONAL,  # Thu, Idul Fitri day 2 (estimate)
    dt.date(2027, 3, 12): CUTI,  # Fri, Idul Fitri
    dt.date(2027, 3, 15): CUTI,  # Mon, Idul Fitri
    dt.date(2027, 3, 25): CUTI,  # Thu, Wafat Yesus Kristus
    dt.date(2027, 3, 26): NATIONAL,  # Fri, Wafat Yesus Kristus
    dt.date(2027, 3, 28): NATIONAL,  # Sun, Paskah
    dt.date(2027, 5, 1): NATIONAL,  # Sat, Hari Buruh
    dt.date(2027, 5, 6): NATIONAL,  # Thu, Kenaikan Yesus Kristus
    dt.date(2027, 5, 17): NATIONAL,  # Mon, Idul Adha (estimate)
    dt.date(2027, 5, 18): CUTI,  # Tue, Idul Adha
    dt.date(2027, 5, 19): CUTI,  # Wed, Waisak
    dt.date(2027, 5, 20): NATIONAL,  # Thu, Waisak
    dt.date(2027, 6, 1): NATIONAL,  # Tue, Pancasila
    dt.date(2027, 6, 6): NATIONAL,  # Sun, 1 Muharam
    dt.date(2027, 8, 15): NATIONAL,  # Sun, Maulid Nabi
    dt.date(2027, 8, 17): NATIONAL,  # Tue, Kemerdekaan
    dt.date(2027, 12, 24): CUTI,  # Fri, Natal
    dt.date(2027, 12, 25): NATIONAL,  # Sat, Natal
    dt.date(2027, 12, 26): NATIONAL,  # Sun, Isra Mikraj 1449 H
}
ESTIMATED_2027 = {dt.date(2027, 3, 10), dt.date(2027, 3, 11), dt.date(2027, 5, 17)}


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


@pytest.fixture
def only_2026(db):
    """The official 2026 list in the table and nothing for 2027 (not even New Year's Day)."""
    from layanan.workdays.models import Holiday, HolidaySource

    return Holiday.objects.bulk_create(
        Holiday(date=day, name=f"holiday {day}", kind=kind, source=HolidaySource.MANUAL)
        for day, kind in OFFICIAL_2026.items()
    )
