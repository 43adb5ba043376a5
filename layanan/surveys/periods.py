"""Survey periods made automatically from the cadence the unit's standards set.

A standard's evaluation component says how often the satisfaction survey runs
(``StandardVersion.surveys_per_year``; seed 003: "Survei Kepuasan Masyarakat 2 kali dalam 1
tahun" → 2). A unit's **cadence** is the most frequent one among its *published* standards (its
own, not its sub-units': a Bagian with standards gets periods of its own), so the unit surveys at
least as often as its most demanding standard asks. Periods are calendar slices of the year:

=========  ==============================================  ================
cadence    periods                                         name
=========  ==============================================  ================
1          1 January – 31 December                         Tahun 2026
2          January–June, July–December                     Semester I 2026
3          January–April, May–August, September–December   Caturwulan I 2026
4          quarters                                        Triwulan I 2026
6          two months each                                 Dwibulan I 2026
12         months                                          Januari 2026
=========  ==============================================  ================

Any other number is raised to the next one of the table (5 → 6; more than 12 → 12): the survey
then runs at least as often as the standard says.

``survey_periods_plan`` (``manage.py plan_survey_periods``, the task
``plan_survey_periods_task``; daily) makes, for each unit with a cadence, **the period running
today and the next one**, and follows a change of cadence. The rules:

1. A period the administrator made by hand (``auto`` is false: made in the admin, or an
   automatic one saved in the admin since) is never moved, removed or overlapped: an automatic
   period is not made when its dates overlap a hand-made period that applies to the unit — the
   unit's own, an ancestor's or an office-wide one — because it would take that period's place
   (the most specific period wins, ``scope.py``).
2. An automatic period is not made over another period of the unit either (a running one from
   an earlier cadence, say): the new cadence then starts when that period ends.
3. When the cadence changes (or no published standard sets one any more), the unit's automatic
   periods that have **not started** yet and do not fit it are removed and the fitting ones made;
   a period that has started is kept as it is (its responses, reminders and report stay).
4. Idempotent: a second run the same day changes nothing. Each change is audited
   (``survey_periods_planned``, by ``plan_survey_periods``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from layanan.catalog.models import ServiceStandard
from layanan.core.audit import audit_log
from layanan.core.models import AuditAction, Unit

from .models import SurveyPeriod

logger = logging.getLogger("layanan.surveys")

ACTOR = "plan_survey_periods"
CADENCES = (1, 2, 3, 4, 6, 12)
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def cadence_of(surveys_per_year: int | None) -> int | None:
    """The periods per year for a standard's number of surveys per year: the smallest of
    ``CADENCES`` that is at least that number (5 → 6, 20 → 12); None for none or zero."""
    if not surveys_per_year:
        return None
    return next((c for c in CADENCES if c >= surveys_per_year), CADENCES[-1])


@dataclass(frozen=True)
class Slot:
    """One period of a cadence: the ``index``-th (1-based) of ``year``."""

    cadence: int
    year: int
    index: int

    @property
    def months(self) -> int:
        return 12 // self.cadence

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        month = self.index * self.months
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def next(self) -> Slot:
        if self.index == self.cadence:
            return Slot(self.cadence, self.year + 1, 1)
        return Slot(self.cadence, self.year, self.index + 1)

    @classmethod
    def containing(cls, day: dt.date, cadence: int) -> Slot:
        return cls(cadence, day.year, (day.month - 1) // (12 // cadence) + 1)

    def name(self) -> str:
        """The period's name in the office language (``LANGUAGE_CODE``)."""
        with translation.override(settings.LANGUAGE_CODE):
            number = ROMAN[self.index - 1] if self.cadence <= 6 else ""
            numbers = {"number": number, "year": self.year}
            if self.cadence == 1:
                return _("Year %(year)s") % numbers
            if self.cadence == 2:
                return _("Half-year %(number)s %(year)s") % numbers
            if self.cadence == 3:
                return _("Four-month period %(number)s %(year)s") % numbers
            if self.cadence == 4:
                return _("Quarter %(number)s %(year)s") % numbers
            if self.cadence == 6:
                return _("Two-month period %(number)s %(year)s") % numbers
            return formats.date_format(self.start, "F Y")

    def slug(self, unit: Unit) -> str:
        code = {1: "tahun", 2: "semester", 3: "caturwulan", 4: "triwulan", 6: "dwibulan"}
        kind = code.get(self.cadence, "bulan")
        if self.cadence == 1:
            suffix = f"-{kind}-{self.year}"
        else:
            suffix = f"-{kind}-{self.index}-{self.year}"
        return f"skm-{unit.slug[: 80 - 4 - len(suffix)]}{suffix}"


def unit_cadences() -> dict[int, int]:
    """unit id → cadence, for every unit with a published standard that sets one. One query."""
    rows = (
        ServiceStandard.objects.published()
        .filter(published_version__surveys_per_year__gt=0)
        .values("unit_id")
        .order_by()
        .annotate(most=Max("published_version__surveys_per_year"))
    )
    return {row["unit_id"]: cadence_of(row["most"]) for row in rows}


def planned_slots(cadence: int | None, today: dt.date) -> list[Slot]:
    """The period running ``today`` and the next one, for ``cadence``."""
    if cadence is None:
        return []
    current = Slot.containing(today, cadence)
    return [current, current.next()]


@dataclass
class PlanReport:
    today: dt.date
    units: int = 0
    created: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_for_hand_made: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "units": self.units,
            "created": self.created,
            "removed": self.removed,
            "blocked": self.kept_for_hand_made,
        }


def _overlapping(periods, start: dt.date, end: dt.date):
    return periods.filter(start__lte=end, end__gte=start)


def _plan_unit(unit: Unit, cadence: int | None, today: dt.date, report: PlanReport) -> None:
    # One unit at a time, under the unit's row lock: two runs at once make each period once.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    slots = planned_slots(cadence, today)
    wanted = {(s.start, s.end) for s in slots}
    own = SurveyPeriod.objects.filter(unit=unit)
    removed = []
    for period in own.filter(auto=True, start__gt=today):
        if (period.start, period.end) not in wanted:
            removed.append(period.slug)
            period.delete()
    created = []
    applying = SurveyPeriod.objects.for_unit(unit)
    for slot in slots:
        if own.filter(start=slot.start, end=slot.end).exists():
            continue
        hand_made = _overlapping(applying.filter(auto=False), slot.start, slot.end)
        if hand_made.exists():
            report.kept_for_hand_made.append(f"{unit.slug}:{slot.start}–{slot.end}")
            continue
        if _overlapping(own, slot.start, slot.end).exists():
            continue  # an earlier cadence's period still runs: the new one starts after it
        try:
            with transaction.atomic():
                period = SurveyPeriod.objects.create(
                    unit=unit,
                    name=slot.name(),
                    slug=slot.slug(unit),
                    start=slot.start,
                    end=slot.end,
                    auto=True,
                )
        except IntegrityError:
            logger.warning("Survey period slug %s is taken; not made", slot.slug(unit))
            continue
        created.append(period.slug)
    if created or removed:
        audit_log(
            actor=ACTOR,
            action=AuditAction.SURVEY_PERIODS_PLANNED,
            unit=unit,
            data={"cadence": cadence, "created": created, "removed": removed},
        )
    report.created += created
    report.removed += removed


def survey_periods_plan(*, today: dt.date | None = None) -> PlanReport:
    """Make the running and the next survey period of every unit from its standards' cadence
    (the rules are in this module's docstring). Idempotent; safe to run daily and in parallel."""
    today = today or timezone.localdate()
    report = PlanReport(today=today)
    cadences = unit_cadences()
    with_future_auto = set(
        SurveyPeriod.objects.filter(auto=True, start__gt=today, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    units = Unit.objects.filter(Q(pk__in=cadences) | Q(pk__in=with_future_auto)).order_by("path")
    for unit in units:
        report.units += 1
        with transaction.atomic():
            _plan_unit(unit, cadences.get(unit.pk), today, report)
    return report
