"""The working-day calendar: holidays, weekly office hours per unit, dated overrides.

The deadline math reads these tables through :class:`layanan.workdays.deadlines.Calendar`
(one query per table and per year, never per day); see docs/deadlines.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from layanan.core.models import TimeStampedModel, Unit


class HolidayKind(models.TextChoices):
    NATIONAL_HOLIDAY = "national_holiday", _("National holiday")
    CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
    LOCAL = "local", _("Local holiday")


class HolidaySource(models.TextChoices):
    PACKAGE = "package", _("Holidays package (sync)")
    MANUAL = "manual", _("Edited by hand")
    DECREE = "decree", _("Confirmed against the decree")


class HolidayQuerySet(models.QuerySet):
    def in_year(self, year: int) -> HolidayQuerySet:
        return self.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))

    def days_off(self) -> HolidayQuerySet:
        """Holidays that close the office (cancelled rows only remember a decree)."""
        return self.filter(cancelled=False)

    def national(self) -> HolidayQuerySet:
        """Rows that apply to every unit (``unit`` empty)."""
        return self.filter(unit__isnull=True)

    def for_units(self, unit_ids) -> HolidayQuerySet:
        """Rows that apply to a unit whose ancestors-or-self are ``unit_ids``: every national row
        and the local rows set on one of those units."""
        return self.filter(Q(unit__isnull=True) | Q(unit__in=list(unit_ids)))


class Holiday(TimeStampedModel):
    """A date on which offices are closed (national holiday, cuti bersama, local holiday).

    Rows synced from the ``holidays`` package have ``source=package``; any edit by an admin makes
    the row ``manual``, confirming it against the decree (the SKB's number and date) makes it
    ``decree``, and a later sync never touches either again. ``cancelled`` keeps a date that a
    later decree withdrew (so the sync does not bring it back) without closing the office.

    ``unit`` empty: every unit is closed. A local holiday set on a unit (a regional anniversary
    set by the governor or the mayor) closes that unit and every unit below it, nobody else.
    """

    #: Not stored: the recompute the last holiday service call recorded (None: nothing changed).
    calendar_run: CalendarRecompute | None

    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        related_name="holidays",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_(
            "Empty: every unit. A local holiday set on a unit applies to it and every unit "
            "below it."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=HolidayKind, default=HolidayKind.NATIONAL_HOLIDAY
    )
    source = models.CharField(
        _("source"), max_length=10, choices=HolidaySource, default=HolidaySource.MANUAL
    )
    is_estimated = models.BooleanField(
        _("estimated date"),
        default=False,
        help_text=_("The date is a forecast (lunar calendar); correct it when the decree appears."),
    )
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_(
            "Withdrawn by a later decree: the office is open. The row is kept so that a sync "
            "does not add the date again."
        ),
    )
    decree_number = models.CharField(
        _("decree number"),
        max_length=120,
        blank=True,
        help_text=_("E.g. the SKB 3 Menteri number, or the governor's decree for a local holiday."),
    )
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("E.g. the decree that set it."))

    objects = HolidayQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            # National rows (unit empty): one per date; NULLs are distinct in a plain constraint.
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(unit__isnull=True),
                name="holiday_unique_national_date",
                violation_error_message=_(
                    "There is already a holiday for every unit on this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["date", "unit"],
                name="holiday_unique_unit_date",
                violation_error_message=_("This unit already has a holiday on this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    def clean(self) -> None:
        if self.unit_id is not None and self.kind != HolidayKind.LOCAL:
            raise ValidationError(
                {"kind": _("A holiday set on one unit is a local holiday: choose “Local holiday”.")}
            )

    @property
    def source_label(self) -> str:
        """Where the date comes from, as staff read it: the decree, or the package's estimate."""
        if self.decree_number:
            if self.decree_date:
                return _("%(number)s of %(date)s") % {
                    "number": self.decree_number,
                    "date": date_format(self.decree_date, "j F Y"),
                }
            return self.decree_number
        if self.source == HolidaySource.PACKAGE:
            return (
                _("Holidays package (estimate)")
                if self.is_estimated
                else _("Holidays package (sync)")
            )
        return _("Edited by hand")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHours(models.Model):
    """A unit's regular opening hours on one weekday.

    A unit with at least one row defines its whole week (weekdays without a row are closed). A
    unit without rows inherits the week of its nearest ancestor with rows, else the system
    default (Mon–Thu 07:30–16:00, Fri 07:30–16:30, Sat/Sun closed).
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="office_hours", on_delete=models.CASCADE
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["unit", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "weekday"], name="office_hours_unique_day"),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="office_hours_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="office_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


def validate_weekdays(value: str) -> None:
    if not set(value) <= set("0123456") or len(set(value)) != len(value):
        raise ValidationError(
            _("Use the digits 0 (Monday) to 6 (Sunday), each at most once, e.g. 0123 for Mon–Thu.")
        )


class OfficeHoursOverrideQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date) -> OfficeHoursOverrideQuerySet:
        return self.filter(date_from__lte=end, date_to__gte=start)


class OfficeHoursOverride(TimeStampedModel):
    """Different hours or a closure on a range of dates (Ramadan hours, a one-off closure).

    ``unit`` empty means every unit; an override of a unit also applies to the units below it,
    and the nearest unit's override beats an ancestor's, which beats a global one. Overrides only
    change days that are working days anyway (weekends and holidays stay closed); ``closed``
    closes the office on those days. ``weekdays`` restricts the override to some weekdays (Ramadan
    hours differ on Friday).
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        related_name="office_hours_overrides",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for every unit."),
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until (inclusive)"))
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        blank=True,
        validators=[validate_weekdays],
        help_text=_("Digits 0 (Monday) to 6 (Sunday), e.g. 0123 for Mon–Thu; empty = every day."),
    )
    opens = models.TimeField(
        _("opens"), null=True, blank=True, help_text=_("Empty: the regular opening time.")
    )
    closes = models.TimeField(
        _("closes"), null=True, blank=True, help_text=_("Empty: the regular closing time.")
    )
    closed = models.BooleanField(_("closed all day"), default=False)
    reason = models.CharField(_("reason"), max_length=200)

    objects = OfficeHoursOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("office hours override")
        verbose_name_plural = _("office hours overrides")
        ordering = ["date_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")),
                name="office_hours_override_range",
            ),
        ]
        indexes = [models.Index(fields=["date_from", "date_to"])]

    def __str__(self) -> str:
        return f"{self.reason} ({self.date_from.isoformat()} – {self.date_to.isoformat()})"

    def clean(self) -> None:
        errors = {}
        if self.date_from and self.date_to and self.date_to < self.date_from:
            errors["date_to"] = _("The end date must not be before the start date.")
        if not self.closed and self.opens is None and self.closes is None:
            errors["opens"] = _("Give different hours, or tick “closed all day”.")
        if self.opens and self.closes and self.closes <= self.opens:
            errors["closes"] = _("Closing time must be after opening time.")
        if errors:
            raise ValidationError(errors)


class RecomputeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CalendarRecompute(models.Model):
    """One recomputation of running cases' due times after the calendar changed (a holiday
    added, removed or moved; a unit's office hours; an override). Written by
    ``services.calendar_changed`` in the transaction of the change and carried out by a
    background task (``cases.recompute``); the admin reads how many running cases moved here.

    ``date_from``/``date_to`` empty means unbounded (a unit's weekly hours changed); ``unit``
    empty means every unit, else the unit and the units below it.
    """

    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    reason = models.CharField(_("reason"), max_length=300)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("until (inclusive)"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecomputeStatus, default=RecomputeStatus.PENDING
    )
    cases_checked = models.PositiveIntegerField(_("running cases checked"), default=0)
    cases_moved = models.PositiveIntegerField(_("running cases moved"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("deadline recomputation")
        verbose_name_plural = _("deadline recomputations")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.reason}"
