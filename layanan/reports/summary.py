"""The monthly evaluation of one unit: every figure of ``metrics`` for a month and the month
before, the key figures side by side, and the twelve-month trends. Dashboards, the PDF and the
XLSX all read this one structure, so they cannot disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.core.models import Unit
from layanan.surveys.ikm import IkmResult, ikm_compute
from layanan.surveys.scope import ResultsScope, ikm_in_scope, results_scope

from . import metrics
from .metrics import Month


def format_seconds(seconds: float | None) -> str:
    """A duration for people: "45 min", "3 h 20 min", "2 d 4 h" (24-hour days)."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        return _("%(h)s h") % {"h": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    return _("%(d)s d") % {"d": days}


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


@dataclass
class MonthFigures:
    unit: Unit
    month: Month
    by_kind: list[metrics.Row]
    by_channel: list[metrics.Row]
    by_service: list[metrics.Row]
    on_time: list[metrics.OnTime]  # total first
    durations: metrics.Durations
    divisions: list[metrics.DivisionLoad]
    classes: list[metrics.Row]
    ikm: IkmResult
    visits: dict | None

    @property
    def received(self) -> int:
        return metrics.total_received(self.by_kind)

    @property
    def on_time_total(self) -> metrics.OnTime:
        return self.on_time[0]

    @property
    def open_total(self) -> int:
        return sum(d.open for d in self.divisions)

    @property
    def overdue_total(self) -> int:
        return sum(d.overdue for d in self.divisions)

    def key_figures(self) -> list[tuple[str, str, float | int | None]]:
        """(key, label, value) of the figures compared month to month."""
        d = self.durations
        ikm = self.ikm.converted
        return [
            ("received", _("Cases received"), self.received),
            ("finished", _("Cases finished"), self.on_time_total.finished),
            ("on_time_rate", _("On time (%)"), _round(self.on_time_total.rate)),
            (
                "first_response_median_h",
                _("Median time to first response (hours)"),
                hours(d.first_response_median),
            ),
            (
                "first_response_p90_h",
                _("90th percentile time to first response (hours)"),
                hours(d.first_response_p90),
            ),
            ("close_median_h", _("Median time to close (hours)"), hours(d.close_median)),
            ("close_p90_h", _("90th percentile time to close (hours)"), hours(d.close_p90)),
            ("open", _("Open cases"), self.open_total),
            ("overdue", _("Overdue cases"), self.overdue_total),
            ("ikm", _("IKM (converted)"), float(ikm) if ikm is not None else None),
            ("ikm_respondents", _("IKM respondents"), self.ikm.respondents),
        ]


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def month_figures(unit: Unit, month: Month, *, now: dt.datetime | None = None) -> MonthFigures:
    return MonthFigures(
        unit=unit,
        month=month,
        by_kind=metrics.volume_by_kind(unit, month),
        by_channel=metrics.volume_by_channel(unit, month),
        by_service=metrics.volume_by_service(unit, month),
        on_time=metrics.on_time_by_service(unit, month),
        durations=metrics.durations(unit, month),
        divisions=metrics.open_by_division(unit, month, now=now),
        classes=metrics.complaint_classes(unit, month),
        ikm=ikm_compute(
            unit=unit, start=month.first_day, end=month.last_day, count_population=False
        ),
        visits=metrics.visits_admin_time(unit, month),
    )


@dataclass
class Comparison:
    key: str
    label: str
    current: float | int | None
    previous: float | int | None

    @property
    def change(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 2)


@dataclass(frozen=True)
class Satisfaction:
    """The IKM as every surface publishes it: over the survey period running at the end of the
    month (today for this month), else the 12 months up to then, with the sample size against
    Krejcie–Morgan (``surveys/scope.py``)."""

    scope: ResultsScope
    ikm: IkmResult

    def as_dict(self) -> dict:
        """For the API and the XLSX: the scope, then the IKM's figures and warnings."""
        ikm = self.ikm.as_dict()
        return {
            "period": self.scope.period.slug if self.scope.period else None,
            "start": self.scope.start,
            "end": self.scope.end,
            "description": self.scope.describe(),
            **{
                key: ikm[key]
                for key in (
                    "respondents", "ikm_converted", "grade", "performance_label",
                    "population", "min_sample", "sample_sufficient", "warnings",
                )
            },
        }  # fmt: skip


def satisfaction(unit: Unit, month: Month) -> Satisfaction:
    day = min(month.last_day, timezone.localdate())
    scope = results_scope(unit, today=day)
    return Satisfaction(scope=scope, ikm=ikm_in_scope(unit, scope))


@dataclass
class Evaluation:
    unit: Unit
    month: Month
    current: MonthFigures
    previous: MonthFigures
    volume_trend: list[metrics.Row] = field(default_factory=list)
    ikm_trend: list = field(default_factory=list)
    satisfaction: Satisfaction | None = None
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def comparison(self) -> list[Comparison]:
        previous = {key: value for key, _label, value in self.previous.key_figures()}
        return [
            Comparison(key, label, value, previous[key])
            for key, label, value in self.current.key_figures()
        ]


def evaluation(unit: Unit, month: Month, *, now: dt.datetime | None = None) -> Evaluation:
    """Everything the dashboards and the monthly report show for ``unit`` and ``month``."""
    now = now or timezone.now()
    return Evaluation(
        unit=unit,
        month=month,
        current=month_figures(unit, month, now=now),
        previous=month_figures(unit, month.previous(), now=now),
        volume_trend=metrics.volume_trend(unit, month),
        ikm_trend=metrics.ikm_trend(unit, month),
        satisfaction=satisfaction(unit, month),
        generated_at=now,
    )
