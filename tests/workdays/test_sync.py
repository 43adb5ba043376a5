"""sync_holidays: the package's 2026 list must equal the official list typed by hand; syncing is
idempotent, keeps manual edits, flags estimated dates and removes dates the package dropped."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from layanan.accounts.actors import SYSTEM
from layanan.workdays.models import Holiday, HolidayKind, HolidaySource
from layanan.workdays.services import holiday_delete, holiday_save, holidays_sync

from .conftest import CUTI, NATIONAL, OFFICIAL_2026

pytestmark = pytest.mark.django_db


def run_sync(*years: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("sync_holidays", *years, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_sync_2026_gives_exactly_the_official_25_dates():
    """17 national holidays and 8 cuti bersama, date for date and kind for kind, as in the SKB
    (REGULATIONS.md), nothing estimated."""
    out, err = run_sync("2026")
    rows = {h.date: h for h in Holiday.objects.in_year(2026)}
    assert {day: h.kind for day, h in rows.items()} == OFFICIAL_2026
    assert sum(k == NATIONAL for k in OFFICIAL_2026.values()) == 17
    assert sum(k == CUTI for k in OFFICIAL_2026.values()) == 8
    assert all(h.source == HolidaySource.PACKAGE and not h.is_estimated for h in rows.values())
    assert rows[dt.date(2026, 3, 19)].name == "Hari Suci Nyepi"
    assert "2026: 25 added, 0 updated, 0 unchanged, 0 kept (edited by hand), 0 removed" in out
    assert err == ""


def test_sync_is_idempotent():
    """A second run adds nothing and reports the 25 rows unchanged."""
    run_sync("2026")
    out, _err = run_sync("2026")
    assert "2026: 0 added, 0 updated, 25 unchanged, 0 kept (edited by hand), 0 removed" in out
    assert Holiday.objects.count() == 25


def test_sync_never_overwrites_a_manual_edit():
    """An admin renames the Nyepi cuti bersama (the row becomes manual): the next sync keeps it."""
    run_sync("2026")
    row = Holiday.objects.get(date=dt.date(2026, 3, 18))
    row.name = "Cuti bersama Nyepi (SKB perubahan)"
    holiday_save(actor=SYSTEM, holiday=row, changed=True)
    row.refresh_from_db()
    assert row.source == HolidaySource.MANUAL

    report = holidays_sync(year=2026)
    assert [h.date for h in report.kept] == [dt.date(2026, 3, 18)]
    assert len(report.unchanged) == 24
    row.refresh_from_db()
    assert row.name == "Cuti bersama Nyepi (SKB perubahan)"


def test_sync_updates_a_changed_package_row_and_removes_a_dropped_one():
    """A package row whose name differs is updated; a package row on a date the package no
    longer lists (1 Jul 2026) is removed; a manual local holiday is left alone."""
    run_sync("2026")
    Holiday.objects.filter(date=dt.date(2026, 1, 1)).update(name="old name")
    Holiday.objects.create(
        date=dt.date(2026, 7, 1), name="moved estimate", source=HolidaySource.PACKAGE
    )
    Holiday.objects.create(
        date=dt.date(2026, 10, 23),
        name="Hari Jadi Kalbar",
        kind=HolidayKind.LOCAL,
        source=HolidaySource.MANUAL,
    )
    out, _err = run_sync("2026")
    assert "1 updated" in out and "1 removed" in out
    assert Holiday.objects.get(date=dt.date(2026, 1, 1)).name == "Tahun Baru Masehi"
    assert not Holiday.objects.filter(date=dt.date(2026, 7, 1)).exists()
    assert Holiday.objects.filter(date=dt.date(2026, 10, 23)).exists()


def test_sync_flags_estimated_dates():
    """For 2028 the lunar dates (Idul Fitri …) are forecasts: rows are flagged, the "(perkiraan)"
    marker is not part of the name, stderr lists them, and the missing cuti bersama are noted."""
    _out, err = run_sync("2028")
    estimated = Holiday.objects.in_year(2028).filter(is_estimated=True)
    assert estimated.exists()
    assert not Holiday.objects.filter(name__icontains="perkiraan").exists()
    first = estimated.first()
    assert f"{first.date.isoformat()} {first.name}: estimated date" in err
    assert "knows no cuti bersama yet" in err


def test_several_years_at_once():
    """sync_holidays 2026 2027 reports each year."""
    out, _err = run_sync("2026", "2027")
    assert out.count("added") == 2
    assert Holiday.objects.in_year(2026).count() == 25
    assert Holiday.objects.in_year(2027).exists()


def test_deleting_a_synced_holiday_cancels_it():
    """Deleting a package row keeps it as a manual, cancelled row, so the sync does not bring
    it back; deleting a manual row removes it."""
    run_sync("2026")
    row = Holiday.objects.get(date=dt.date(2026, 5, 15))
    assert holiday_delete(actor=SYSTEM, holiday=row) is False
    row.refresh_from_db()
    assert (row.cancelled, row.source) == (True, HolidaySource.MANUAL)
    run_sync("2026")
    row.refresh_from_db()
    assert row.cancelled

    local = Holiday.objects.create(date=dt.date(2026, 10, 23), name="Hari Jadi")
    assert holiday_delete(actor=SYSTEM, holiday=local) is True
    assert not Holiday.objects.filter(pk=local.pk).exists()


def test_moving_a_synced_holiday_leaves_a_cancelled_row_behind():
    """An admin moves the Ascension cuti bersama from Fri 15 May to Mon 18 May: the new date is
    manual; 15 May stays as a cancelled manual row so that the sync does not add it again."""
    run_sync("2026")
    row = Holiday.objects.get(date=dt.date(2026, 5, 15))
    row.date = dt.date(2026, 5, 18)
    holiday_save(actor=SYSTEM, holiday=row, changed=True)
    run_sync("2026")
    moved = Holiday.objects.get(date=dt.date(2026, 5, 18))
    old = Holiday.objects.get(date=dt.date(2026, 5, 15))
    assert moved.source == HolidaySource.MANUAL and not moved.cancelled
    assert old.cancelled and old.source == HolidaySource.MANUAL
