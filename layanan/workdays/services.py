"""Writes to the working-day calendar: syncing holidays from the ``holidays`` package (on demand
and, for this year and the next, periodically), the admin's edits (which protect a row from later
syncs) and confirming a date against the decree (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.core.audit import audit_log
from layanan.core.models import AuditAction

from .models import Holiday, HolidayKind, HolidaySource

COUNTRY = "ID"


@dataclass(frozen=True)
class PackageHoliday:
    date: dt.date
    name: str
    kind: str
    is_estimated: bool


@dataclass
class SyncReport:
    year: int
    added: list[Holiday] = field(default_factory=list)
    updated: list[Holiday] = field(default_factory=list)
    unchanged: list[Holiday] = field(default_factory=list)
    kept: list[Holiday] = field(default_factory=list)  # edited by hand: never overwritten
    removed: list[Holiday] = field(default_factory=list)  # synced before, no longer listed
    estimated: list[PackageHoliday] = field(default_factory=list)
    has_cuti_bersama: bool = True


def _strip_estimated(instance, name: str) -> tuple[str, bool]:
    """Remove the package's "(perkiraan)" marker from a holiday name; say whether it was there."""
    observed_estimated = instance.tr(instance.observed_estimated_label)
    estimated = instance.tr(instance.estimated_label)
    for template, rebuild in (
        (observed_estimated, instance.tr(instance.observed_label)),
        (estimated, "%s"),
    ):
        prefix, _sep, suffix = template.partition("%s")
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(template) - 2:
            inner = name[len(prefix) : len(name) - len(suffix)]
            return rebuild.replace("%s", inner), True
    return name, False


def _names(instance, day: dt.date) -> tuple[str, bool]:
    parts = [_strip_estimated(instance, part) for part in instance.get_list(day)]
    return "; ".join(name for name, _e in parts), any(e for _n, e in parts)


def package_holidays(year: int) -> list[PackageHoliday]:
    """Indonesia's national holidays (category public) and cuti bersama (category government)
    for ``year`` according to the installed ``holidays`` package, in Indonesian."""
    import holidays

    public = holidays.country_holidays(COUNTRY, years=year, categories=("public",), language="id")
    government = holidays.country_holidays(
        COUNTRY, years=year, categories=("government",), language="id"
    )
    result: dict[dt.date, PackageHoliday] = {}
    for day in government:
        name, estimated = _names(government, day)
        result[day] = PackageHoliday(day, name, HolidayKind.CUTI_BERSAMA, estimated)
    for day in public:  # a national holiday wins over cuti bersama on the same date
        name, estimated = _names(public, day)
        result[day] = PackageHoliday(day, name, HolidayKind.NATIONAL_HOLIDAY, estimated)
    return [result[day] for day in sorted(result) if day.year == year]


@transaction.atomic
def holidays_sync(*, year: int) -> SyncReport:
    """Bring the table in line with the package for one year. Idempotent.

    Only national rows (no unit) are compared. Rows edited by hand (``source=manual``) or
    confirmed against the decree (``source=decree``) are never touched; package rows are added,
    updated (name, kind, estimated flag) or removed when the package no longer lists their date
    (an estimated date that moved).
    """
    report = SyncReport(year=year)
    listed = package_holidays(year)
    report.estimated = [h for h in listed if h.is_estimated]
    report.has_cuti_bersama = any(h.kind == HolidayKind.CUTI_BERSAMA for h in listed)
    existing = {h.date: h for h in Holiday.objects.in_year(year).national().select_for_update()}
    for item in listed:
        row = existing.pop(item.date, None)
        if row is None:
            report.added.append(
                Holiday.objects.create(
                    date=item.date,
                    name=item.name,
                    kind=item.kind,
                    is_estimated=item.is_estimated,
                    source=HolidaySource.PACKAGE,
                )
            )
        elif row.source != HolidaySource.PACKAGE:
            report.kept.append(row)
        elif (row.name, row.kind, row.is_estimated, row.cancelled) == (
            item.name,
            item.kind,
            item.is_estimated,
            False,
        ):
            report.unchanged.append(row)
        else:
            row.name, row.kind, row.is_estimated, row.cancelled = (
                item.name,
                item.kind,
                item.is_estimated,
                False,
            )
            row.save(update_fields=["name", "kind", "is_estimated", "cancelled", "updated_at"])
            report.updated.append(row)
    for row in existing.values():
        if row.source == HolidaySource.PACKAGE:
            report.removed.append(row)
            row.delete()
    return report


@transaction.atomic
def holiday_save(*, holiday: Holiday, changed: bool) -> Holiday:
    """Save an admin's edit. Editing a synced row makes it manual, so no sync overwrites it; if
    its date moved, a cancelled manual row stays on the old date so the sync does not bring the
    old date back."""
    if holiday.pk is None:
        holiday.source = HolidaySource.MANUAL
        holiday.save()
        return holiday
    if not changed:
        return holiday
    before = Holiday.objects.select_for_update().get(pk=holiday.pk)
    if before.source == HolidaySource.PACKAGE:
        holiday.source = HolidaySource.MANUAL
    holiday.save()
    if before.date != holiday.date and before.source == HolidaySource.PACKAGE:
        Holiday.objects.get_or_create(
            date=before.date,
            unit=None,
            defaults={
                "name": before.name,
                "kind": before.kind,
                "is_estimated": before.is_estimated,
                "source": HolidaySource.MANUAL,
                "cancelled": True,
                "note": _("Moved to %(date)s") % {"date": holiday.date.isoformat()},
            },
        )
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday) -> bool:
    """Delete a holiday. A synced row is cancelled instead (kept as a manual, cancelled row) so
    that the next sync does not add it again. Returns True when the row was really deleted."""
    if holiday.source == HolidaySource.PACKAGE:
        holiday.source = HolidaySource.MANUAL
        holiday.cancelled = True
        holiday.save(update_fields=["source", "cancelled", "updated_at"])
        return False
    holiday.delete()
    return True


def holidays_sync_upcoming(*, today: dt.date | None = None) -> list[SyncReport]:
    """The periodic load: sync this year and the next as soon as the package lists holidays for
    them (it lists next year's fixed and estimated dates long before the decree), so the new
    year arrives with its holidays. Idempotent and safe to run daily; keeps manual edits and
    confirmations (:func:`holidays_sync`)."""
    today = today or timezone.localdate()
    reports = []
    for year in (today.year, today.year + 1):
        if package_holidays(year):
            reports.append(holidays_sync(year=year))
    return reports


@transaction.atomic
def holiday_confirm(*, actor, holiday: Holiday, decree_number: str, decree_date: dt.date):
    """An administrator checked the date against the decree (the SKB, or the governor's decree
    for a local holiday): record the decree, clear the estimate flag, and protect the row from
    later syncs. Audited. Returns the holiday."""
    if actor is None:
        raise TypeError("holiday_confirm needs an actor")
    decree_number = (decree_number or "").strip()
    if not decree_number or decree_date is None:
        raise ValueError("a decree number and date are required")
    row = Holiday.objects.select_for_update().get(pk=holiday.pk)
    was_estimated = row.is_estimated
    row.decree_number, row.decree_date = decree_number, decree_date
    row.is_estimated = False
    row.source = HolidaySource.DECREE
    row.save(update_fields=["decree_number", "decree_date", "is_estimated", "source", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditAction.HOLIDAY_CONFIRMED,
        target=row,
        unit=row.unit,
        data={
            "date": row.date.isoformat(),
            "decree_number": decree_number,
            "decree_date": decree_date.isoformat(),
            "was_estimated": was_estimated,
        },
    )
    return row
