"""Holidays of a region: a local holiday set on a unit closes that unit and every unit below it,
and nobody else; national rows and local rows live side by side (one per date and unit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from layanan.workdays.deadlines import Calendar, deadline
from layanan.workdays.models import Holiday, HolidayKind, HolidaySource

from .conftest import at, dur

pytestmark = pytest.mark.django_db

LOCAL_DAY = dt.date(2026, 11, 9)  # a Monday; no national holiday in November 2026


@pytest.fixture
def kesra_anniversary(org, holidays_2026):
    """A local holiday on Mon 9 Nov 2026 set on Biro Kesra (e.g. by the governor's decree)."""
    return Holiday.objects.create(
        date=LOCAL_DAY,
        name="Hari jadi daerah (contoh)",
        kind=HolidayKind.LOCAL,
        unit=org["biro-kesra"],
        decree_number="Keputusan Gubernur No. 100/2026",
        decree_date=dt.date(2026, 10, 1),
    )


@pytest.mark.parametrize(
    ("slug", "due"),
    [
        # Wed 4 Nov 10:00 + 5 working days. With the local holiday: Thu 5, Fri 6, [Mon 9], Tue 10,
        # Wed 11, Thu 12 → Thu 12 Nov 16:00. Without: 5, 6, 9, 10, 11 → Wed 11 Nov 16:00.
        ("biro-kesra", at(2026, 11, 12, 16)),  # the unit it is set on
        ("kesra-bina-mental", at(2026, 11, 12, 16)),  # a unit below it
        ("biro-perekonomian", at(2026, 11, 11, 16)),  # a sibling bureau
        ("ekon-sda", at(2026, 11, 11, 16)),  # below the sibling
        ("pemprov-kalbar", at(2026, 11, 11, 16)),  # above it
    ],
)
def test_local_holiday_counts_for_the_unit_and_below_only(org, kesra_anniversary, slug, due):
    """The local holiday is a day off for Biro Kesra and its divisions, a working day for the
    sibling bureau, its divisions and the province above."""
    assert deadline(at(2026, 11, 4, 10), dur(5, "working_days"), unit=org[slug]) == due


def test_the_system_default_calendar_ignores_local_holidays(kesra_anniversary):
    """Without a unit (the system default) only national holidays count."""
    assert Calendar.for_unit(None).is_working_day(LOCAL_DAY)


def test_local_holidays_cost_no_extra_query(org, kesra_anniversary, django_assert_num_queries):
    """A unit's calendar for one year reads ancestors, office hours, holidays (national and
    local in one query) and overrides: 4 queries, as without local holidays."""
    with django_assert_num_queries(4):
        cal = Calendar.for_unit(org["kesra-bina-mental"])
        assert not cal.is_working_day(LOCAL_DAY)
        assert cal.day(LOCAL_DAY).holiday == "Hari jadi daerah (contoh)"


def test_national_and_local_rows_share_a_date_but_not_twice(org, holidays_2026):
    """A local row may sit on a national holiday's date; a second national row, or a second
    row for the same unit on the same date, is refused by the database; a unit's row must be a
    local holiday (a clear validation error)."""
    christmas = dt.date(2026, 12, 25)
    Holiday.objects.create(
        date=christmas, name="Lokal", kind=HolidayKind.LOCAL, unit=org["biro-kesra"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(date=christmas, name="Natal lagi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(
            date=christmas, name="Lokal lagi", kind=HolidayKind.LOCAL, unit=org["biro-kesra"]
        )
    wrong = Holiday(date=dt.date(2026, 11, 10), name="x", unit=org["biro-kesra"])
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "kind" in error.value.message_dict


def test_sync_leaves_local_rows_alone(org):
    """A local row on a date the package lists (1 Jan 2026) is neither updated nor removed by
    the sync, which adds the national row beside it."""
    from layanan.workdays.services import holidays_sync

    local = Holiday.objects.create(
        date=dt.date(2026, 1, 1),
        name="Lokal",
        kind=HolidayKind.LOCAL,
        unit=org["biro-kesra"],
        source=HolidaySource.PACKAGE,  # even one marked as synced
    )
    report = holidays_sync(year=2026)
    assert len(report.added) == 25 and not report.removed
    local.refresh_from_db()
    assert local.name == "Lokal"
    assert Holiday.objects.filter(date=dt.date(2026, 1, 1)).count() == 2


def test_calendar_page_shows_a_local_holiday_below_and_not_beside(
    client, org, kesra_anniversary, kesra_officer
):
    """The calendar of Bagian Bina Mental lists the Kesra holiday (marked as local to Biro
    Kesra and below); the calendar of Biro Perekonomian does not."""
    client.force_login(kesra_officer)
    url = reverse("workdays:calendar_year", args=[2026])
    below = client.get(url, {"unit": "kesra-bina-mental"}).content.decode()
    beside = client.get(url, {"unit": "biro-perekonomian"}).content.decode()
    assert "Hari jadi daerah (contoh)" in below
    assert "Keputusan Gubernur No. 100/2026" in below
    assert "Hari jadi daerah (contoh)" not in beside
