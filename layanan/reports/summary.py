"""The monthly evaluation of one unit: every figure of ``metrics`` for a month and the month
before, the key figures side by side, and the twelve-month trends. Dashboards, the PDF and the
XLSX all read this one structure, so they cannot disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from layanan.core.db_routing import reading_primary, reading_replica
from layanan.core.models import Unit
from layanan.surveys.ikm import IkmResult, ikm_compute, population_served
from layanan.surveys.scope import ResultsScope, results_scope

from . import metrics, snapshots
from .metrics import Month, Row

#: Months in the trend charts and tables, up to the month shown.
TREND_MONTHS = 12


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


def month_data(unit: Unit, month: Month, *, now: dt.datetime | None = None) -> dict:
    """Every figure of ``unit`` for ``month`` as plain numbers, codes and stored names — what a
    month snapshot keeps (JSON, language-independent). ``month_figures_from`` labels it."""
    ikm = ikm_compute(unit=unit, start=month.first_day, end=month.last_day, count_population=False)
    return {
        "by_kind": metrics.volume_by_kind_data(unit, month),
        "by_channel": metrics.volume_by_channel_data(unit, month),
        "by_service": metrics.volume_by_service_data(unit, month),
        "on_time": metrics.on_time_by_service_data(unit, month),
        "durations": dataclasses.asdict(metrics.durations(unit, month)),
        "divisions": metrics.open_by_division_data(unit, month, now=now),
        "classes": metrics.complaint_classes_data(unit, month),
        "ikm": {
            "respondents": ikm.respondents,
            "totals": list(ikm.totals),
            # People served in the month (ikm.population_served): with the sums above, whole
            # stored months add up to any range's IKM and minimum sample (``ikm_range``).
            "served": population_served(unit=unit, start=month.first_day, end=month.last_day),
        },
        "visits": metrics.visits_admin_time(unit, month),
    }


def month_figures_from(unit: Unit, month: Month, data: dict) -> MonthFigures:
    """The figures of ``month_data`` (computed now or read from a snapshot), labelled in the
    active language."""
    return MonthFigures(
        unit=unit,
        month=month,
        by_kind=metrics.kind_rows(data["by_kind"]),
        by_channel=metrics.channel_rows(data["by_channel"]),
        by_service=metrics.service_rows(data["by_service"]),
        on_time=metrics.on_time_rows(data["on_time"]),
        durations=metrics.Durations(**data["durations"]),
        divisions=metrics.division_rows(data["divisions"]),
        classes=metrics.class_rows(data["classes"]),
        ikm=IkmResult(
            unit=unit,
            service=None,
            start=month.first_day,
            end=month.last_day,
            respondents=data["ikm"]["respondents"],
            totals=tuple(data["ikm"]["totals"]),
        ),
        visits=data["visits"],
    )


def month_figures(unit: Unit, month: Month, *, now: dt.datetime | None = None) -> MonthFigures:
    """The figures of ``month`` computed now, never read from or written to a snapshot."""
    return month_figures_from(unit, month, month_data(unit, month, now=now))


def months_data(
    unit: Unit, months: list[Month], *, now: dt.datetime | None = None, compute=None
) -> tuple[dict[Month, dict], list[Month]]:
    """The figures of ``months`` as data, and which of them were computed now. A closed month
    is read from its snapshot (one indexed query for all of ``months``); one without a snapshot
    is computed and stored; the current month is computed and never stored. ``compute``
    limits which months are computed when missing (default: all): the others are left out.

    Under ``reading_replica`` the snapshots and the current month are read from the replica,
    but a month about to be stored is counted on the primary: figures counted from a replica
    still behind a late correction would be kept after the correction's invalidation, until
    the next write to that month."""
    now = now or timezone.now()
    closed = [m for m in months if snapshots.is_closed(m, now)]
    result = snapshots.snapshots_read(unit, closed)
    computed = []
    for month in months:
        if month in result or (compute is not None and month not in compute):
            continue
        # The figures are aggregates of the whole unit (the caller checked it may read them),
        # stored for every later reader: never counted through one reader's unit scope.
        stored = month in closed
        with scopes_disabled(), reading_primary() if stored else nullcontext():
            result[month] = month_data(unit, month, now=now)
        computed.append(month)
        if stored:
            snapshots.snapshot_write(unit, month, result[month], now=now)
    return result, computed


def months_figures(
    unit: Unit, months: list[Month], *, now: dt.datetime | None = None, compute=None
) -> dict[Month, MonthFigures]:
    """**The** selector of monthly figures — pages, exports, the e-mail and the API read
    through it (``evaluation``): ``months_data``, labelled in the active language."""
    data, _computed = months_data(unit, months, now=now, compute=compute)
    return {
        month: month_figures_from(unit, month, data[month]) for month in months if month in data
    }


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
    ikm = ikm_range(
        unit=unit, start=scope.start, end=scope.end, population=scope.population_for(unit)
    )
    return Satisfaction(scope=scope, ikm=ikm)


def _whole_closed_months(start: dt.date, end: dt.date) -> list[Month]:
    first = Month.of(start) if start.day == 1 else Month.of(start).next()
    last = Month.of(end) if end == Month.of(end).last_day else Month.of(end).previous()
    months = []
    while first <= last and snapshots.is_closed(first):
        months.append(first)
        first = first.next()
    return months


@reading_replica()
def ikm_range(
    *,
    unit: Unit,
    start: dt.date | None,
    end: dt.date | None,
    service=None,
    population: int | None = None,
) -> IkmResult:
    """The IKM of ``unit`` over ``start``–``end`` exactly as ``ikm_compute`` gives it, the whole
    closed months of the range read from their snapshots: the answers' sums and the people
    served add up month by month, so only the days before the first and after the last whole
    month are counted live (two queries each). One snapshot read, then at most four queries,
    whatever the number of responses. Falls back to ``ikm_compute`` (two indexed aggregates)
    for one service, an open range, or when a month of the range is not stored yet."""
    months = _whole_closed_months(start, end) if start and end and service is None else []
    stored = snapshots.snapshots_read(unit, months)
    if not months or any("served" not in stored.get(m, {}).get("ikm", {}) for m in months):
        return ikm_compute(unit=unit, service=service, start=start, end=end, population=population)
    respondents = sum(stored[m]["ikm"]["respondents"] for m in months)
    totals = [
        sum(column) for column in zip(*(stored[m]["ikm"]["totals"] for m in months), strict=True)
    ]
    served = sum(stored[m]["ikm"]["served"] for m in months)
    edges = [
        (start, months[0].first_day - dt.timedelta(days=1)),
        (months[-1].next().first_day, end),
    ]
    for edge_start, edge_end in edges:
        if edge_start > edge_end:
            continue
        part = ikm_compute(
            unit=unit, start=edge_start, end=edge_end, count_population=population is None
        )
        respondents += part.respondents
        totals = [a + b for a, b in zip(totals, part.totals, strict=True)]
        served += part.population or 0
    return IkmResult(
        unit=unit,
        service=None,
        start=start,
        end=end,
        respondents=respondents,
        totals=tuple(totals),
        population=served if population is None else population,
    )


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


@reading_replica()
def evaluation(unit: Unit, month: Month, *, now: dt.datetime | None = None) -> Evaluation:
    """Everything the dashboards and the monthly report show for ``unit`` and ``month``, read
    from the replica when there is one (``core.db_routing``; stored months: ``months_data``).

    The month, the month before and the twelve-month trends come from ``months_figures``: one
    query reads every stored month of the window; the month and the one before are computed
    (and stored, when closed) if missing. The trends are read from the window when every
    month of it is there, else counted by one query each (``metrics.volume_trend`` /
    ``ikm_trend``) — a first view does not compute ten months."""
    now = now or timezone.now()
    window = [month.minus(i) for i in range(TREND_MONTHS - 1, -1, -1)]
    figures = months_figures(unit, window, now=now, compute={month, month.previous()})
    if len(figures) == len(window):
        volume_trend = [Row(str(m), m.label(), figures[m].received) for m in window]
        ikm_trend = [(m, figures[m].ikm) for m in window]
    else:
        volume_trend = metrics.volume_trend(unit, month, TREND_MONTHS)
        ikm_trend = metrics.ikm_trend(unit, month, TREND_MONTHS)
    return Evaluation(
        unit=unit,
        month=month,
        current=figures[month],
        previous=figures[month.previous()],
        volume_trend=volume_trend,
        ikm_trend=ikm_trend,
        satisfaction=satisfaction(unit, month),
        generated_at=now,
    )
