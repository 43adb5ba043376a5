"""Writes to the working-day calendar: syncing holidays from the ``holidays`` package (on demand
and, for this year and the next, periodically), the admin's edits (which protect a row from later
syncs), confirming a date against the decree (audited), and what every change to the calendar
sets off: :func:`calendar_changed` records a :class:`CalendarRecompute` run and, once the change
commits, a background task recomputes the due time of every running case whose counting span
the change touches (``layanan/cases/recompute.py``; docs/deadlines.md)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.accounts.actors import SYSTEM, require_actor, user_or_none
from layanan.core.audit import audit_log
from layanan.core.models import AuditAction

from .calendar_lock import calendar_write_lock
from .deadlines import format_day
from .models import CalendarRecompute, Holiday, HolidayKind, HolidaySource, OfficeHoursOverride

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from holidays import HolidayBase

    from layanan.accounts.actors import AnyActor
    from layanan.core.models import Unit

logger = logging.getLogger("layanan.workdays")

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


def _strip_estimated(instance: HolidayBase, name: str) -> tuple[str, bool]:
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


def _names(instance: HolidayBase, day: dt.date) -> tuple[str, bool]:
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
def holidays_sync(*, year: int, actor: AnyActor = SYSTEM) -> SyncReport:
    """Bring the table in line with the package for one year. Idempotent.

    Only national rows (no unit) are compared. Rows edited by hand (``source=manual``) or
    confirmed against the decree (``source=decree``) are never touched; package rows are added,
    updated (name, kind, estimated flag) or removed when the package no longer lists their date
    (an estimated date that moved). When the days the office is closed changed, one recompute of
    running cases is recorded for the whole sync (not one per row).
    """
    report = SyncReport(year=year)
    reopened: list[Holiday] = []  # cancelled package rows the package lists again
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
            if row.cancelled:
                reopened.append(row)
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
    closed = [*report.added, *reopened]
    opened = [row for row in report.removed if not row.cancelled]
    if closed or opened:
        with translation.override(settings.LANGUAGE_CODE):
            if len(closed) + len(opened) == 1:
                reason = holiday_words(closed[0]) if closed else withdrawn(opened[0])
            else:
                reason = _("holiday calendar %(year)s updated") % {"year": year}
        calendar_changed(
            actor=actor,
            reason=reason,
            days=[row.date for row in (*closed, *opened)],
        )
    return report


@transaction.atomic
def holiday_save(*, actor: AnyActor, holiday: Holiday, changed: bool) -> Holiday:
    """Save an admin's edit. Editing a synced row makes it manual, so no sync overwrites it; if
    its date moved, a cancelled manual row stays on the old date so the sync does not bring the
    old date back.

    When the edit changes which day the office is closed (a new holiday, a moved date, a
    cancellation or its undoing), running cases are recomputed: ``holiday.calendar_run`` is the
    :class:`CalendarRecompute` recorded (else None)."""
    require_actor(actor)
    holiday.calendar_run = None
    if holiday.pk is None:
        holiday.source = HolidaySource.MANUAL
        holiday.save()
        if not holiday.cancelled:
            holiday.calendar_run = _holiday_changed(actor, before=None, after=holiday)
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
    holiday.calendar_run = _holiday_changed(
        actor,
        before=None if before.cancelled else before,
        after=None if holiday.cancelled else holiday,
    )
    return holiday


@transaction.atomic
def holiday_delete(*, actor: AnyActor, holiday: Holiday) -> bool:
    """Delete a holiday. A synced row is cancelled instead (kept as a manual, cancelled row) so
    that the next sync does not add it again. Returns True when the row was really deleted.
    Either way the office is open that day again: running cases are recomputed
    (``holiday.calendar_run``)."""
    require_actor(actor)
    closed_before = not holiday.cancelled
    if holiday.source == HolidaySource.PACKAGE:
        holiday.source = HolidaySource.MANUAL
        holiday.cancelled = True
        holiday.save(update_fields=["source", "cancelled", "updated_at"])
        deleted = False
    else:
        holiday.delete()
        deleted = True
    holiday.calendar_run = (
        _holiday_changed(actor, before=holiday, after=None) if closed_before else None
    )
    return deleted


# --- recomputing running cases when the calendar changes ------------------------------------

HOLIDAY_KIND_WORDS: dict[str, StrOrPromise] = {
    HolidayKind.NATIONAL_HOLIDAY: gettext_lazy("national holiday"),
    HolidayKind.CUTI_BERSAMA: gettext_lazy("collective leave"),
    HolidayKind.LOCAL: gettext_lazy("local holiday"),
}


def holiday_words(holiday: Holiday) -> str:
    """``"cuti bersama 4 Januari 2027"``: the kind and the date, for timeline notes."""
    kind = HOLIDAY_KIND_WORDS.get(holiday.kind, HOLIDAY_KIND_WORDS[HolidayKind.NATIONAL_HOLIDAY])
    return f"{kind} {format_day(holiday.date)}"


def withdrawn(holiday: Holiday) -> str:
    """The reason a due time moved when ``holiday`` was withdrawn, as the requester reads it."""
    return _("%(holiday)s withdrawn") % {"holiday": holiday_words(holiday)}


def _holiday_changed(
    actor: AnyActor, *, before: Holiday | None, after: Holiday | None
) -> CalendarRecompute | None:
    """Record the recompute for a holiday that closed ``before.date`` and now closes
    ``after.date`` (None: no day closed on that side). Nothing when the closed day is the same.
    A holiday of a unit (regional) touches that unit's subtree only; otherwise every unit."""
    days = {h.date for h in (before, after) if h is not None}
    if before is not None and after is not None and before.date == after.date:
        return None
    if not days:
        return None
    units = {getattr(h, "unit", None) for h in (before, after) if h is not None}
    unit = units.pop() if len(units) == 1 else None
    with translation.override(settings.LANGUAGE_CODE):
        if before is None:
            assert after is not None  # not both None: ``days`` is not empty
            reason = holiday_words(after)
        elif after is None:
            reason = withdrawn(before)
        else:
            kind = HOLIDAY_KIND_WORDS.get(after.kind, after.kind)
            reason = _("%(kind)s moved from %(old)s to %(new)s") % {
                "kind": kind,
                "old": format_day(before.date),
                "new": format_day(after.date),
            }
    return calendar_changed(actor=actor, reason=reason, days=days, unit=unit)


def _override_words(override: OfficeHoursOverride) -> str:
    return "%s, %s – %s" % (  # noqa: UP031 (three plain parts)
        override.reason,
        format_day(override.date_from),
        format_day(override.date_to),
    )


@transaction.atomic
def override_save(
    *, actor: AnyActor, override: OfficeHoursOverride, changed: bool = True
) -> CalendarRecompute | None:
    """Save an override (Ramadan hours, a closure) and recompute the running cases of its
    unit's subtree (every unit for a global one) whose span meets its dates, old and new.
    Returns the :class:`CalendarRecompute` recorded, or None."""
    require_actor(actor)
    before = (
        OfficeHoursOverride.objects.select_for_update().filter(pk=override.pk).first()
        if override.pk is not None
        else None
    )
    override.save()
    if before is not None and not changed:
        return None
    days = [override.date_from, override.date_to]
    unit = override.unit
    if before is not None:
        days += [before.date_from, before.date_to]
        if before.unit_id != override.unit_id:
            unit = None
    with translation.override(settings.LANGUAGE_CODE):
        reason = _override_words(override)
    return calendar_changed(actor=actor, reason=reason, days=days, unit=unit)


@transaction.atomic
def override_delete(*, actor: AnyActor, override: OfficeHoursOverride) -> CalendarRecompute:
    """Delete an override and recompute the running cases it touched."""
    require_actor(actor)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("%(override)s withdrawn") % {"override": _override_words(override)}
    days, unit = [override.date_from, override.date_to], override.unit
    override.delete()
    return calendar_changed(actor=actor, reason=reason, days=days, unit=unit)


def office_hours_changed(*, actor: AnyActor, unit: Unit) -> CalendarRecompute:
    """A unit's weekly office hours changed (admin, organisation file): recompute the running
    cases of the unit and the units below it, whatever their dates."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("office hours of %(unit)s changed") % {"unit": unit.name}
    return calendar_changed(actor=actor, reason=reason, unit=unit)


def calendar_changed(
    *,
    actor: AnyActor,
    reason: str,
    days: Iterable[dt.date] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit: Unit | None = None,
) -> CalendarRecompute:
    """The calendar changed on ``date_from``–``date_to`` (or on ``days``; neither: on every
    date) for ``unit`` and the units below it (None: every unit).

    Records a :class:`CalendarRecompute` run in the caller's transaction and, when it commits,
    enqueues the background task that recomputes the running cases whose span (receipt to due
    time) meets the change. Returns at once: the caller (an admin's save) never waits for the
    cases. A rolled-back change records and enqueues nothing."""
    require_actor(actor)
    calendar_write_lock()  # due times being computed from the old calendar commit first
    days = sorted(set(days) | {d for d in (date_from, date_to) if d is not None})
    run = CalendarRecompute.objects.create(
        requested_by=user_or_none(actor),
        reason=reason[:300],
        date_from=days[0] if days else None,
        date_to=days[-1] if days else None,
        unit=unit,
    )
    transaction.on_commit(lambda: calendar_recompute_enqueue(run.pk))
    return run


def calendar_recompute_enqueue(run_id: int) -> None:
    """Hand the run to the task worker. If the backend cannot take it, the run stays
    *waiting* and ``manage.py recompute_deadlines`` carries it out."""
    from layanan.cases.tasks import calendar_recompute_task

    try:
        calendar_recompute_task.enqueue(run_id=run_id)
    except Exception:
        logger.warning(
            "calendar recompute %s: could not enqueue the task; run manage.py recompute_deadlines",
            run_id,
            exc_info=True,
        )


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
def holiday_confirm(
    *, actor: AnyActor, holiday: Holiday, decree_number: str, decree_date: dt.date
) -> Holiday:
    """An administrator checked the date against the decree (the SKB, or the governor's decree
    for a local holiday): record the decree, clear the estimate flag, and protect the row from
    later syncs. Audited. Returns the holiday."""
    require_actor(actor)
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
