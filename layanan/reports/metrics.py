"""Every figure of the dashboards and the monthly evaluation, computed by SQL aggregation over the
cases table (and the survey responses for the IKM). Nothing here loops over cases: each function
is one or a few aggregate queries, and the number of queries does not depend on the number of
rows (pinned in tests).

Definitions (also in docs/reports.md):

- **Scope**: a unit includes its sub-units (``Unit.path`` prefix).
- **Period**: a calendar month in the office's time zone (``TIME_ZONE``), first day 00:00 up to
  the next month's first day 00:00 (exclusive).
- **Volume**: cases *received* in the period, by kind, channel and service.
- **On time**: cases *finished* in the period (answered, or closed without an answer: the first
  of ``answered_at`` / ``closed_at``) that have a deadline; on time when that moment is at or
  before ``due_at``. The working-day calendar and pauses are already in ``due_at``.
- **Time to first response / to close**: seconds from ``received_at`` to ``first_response_at``
  (for first responses given in the period) and to ``closed_at`` (cases closed in the period).
  Median and 90th percentile by the *continuous* definition (PostgreSQL ``percentile_cont``):
  sorted values v₀ … vₙ₋₁, position p·(n−1), linear interpolation between the two neighbours.
  PostgreSQL runs ``percentile_cont``; SQLite has none, so two neighbouring values are read
  with ``ORDER BY … LIMIT 2 OFFSET ⌊p·(n−1)⌋`` and interpolated — the same number either way.
- **Open and overdue by Bagian**: cases still open now (received, verified, in progress,
  waiting) that were received before the period ended, by the division they are assigned to;
  overdue by the one definition (``cases.selectors.overdue_q``: the clock runs — not waiting on
  the requester — and ``due_at`` is strictly before) at the end of the period (or now, for the
  current month).
- **Complaint classes**: complaints received in the period by the class the officer gave.

Why one module (~570 lines): it is the executable form of the definitions above, which
docs/reports.md repeats word for word. Every figure is a short function of one or a few
aggregate queries over the same scope (``cases_of``), the same period (``Month``) and the same
SQL building blocks (``SecondsBetween``, ``percentiles``); read together, a reviewer checks each
figure against its definition in one place. Split by figure, each part would be a few dozen
lines importing the same shared half.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from django.apps import apps
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.cases.models import OPEN_STATUSES, Case, CaseKind, Channel
from layanan.cases.selectors import overdue_q
from layanan.core.models import Unit

# --- periods -------------------------------------------------------------------------------------


def office_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``YYYY-MM`` → Month; ValueError otherwise."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
        except (ValueError, AttributeError):
            raise ValueError(text) from None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError(text)
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> dt.datetime:
        """First instant of the month in the office's time zone."""
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=office_tz())

    @property
    def end(self) -> dt.datetime:
        """First instant of the next month (exclusive)."""
        return self.next().start

    def label(self) -> str:
        from django.utils.dateformat import format as date_format

        return date_format(self.first_day, "F Y")

    def short_label(self) -> str:
        """ "Okt 26" — for chart axes."""
        from django.utils.dateformat import format as date_format

        return date_format(self.first_day, "M y")


# --- SQL building blocks -------------------------------------------------------------------------


class SecondsBetween(Func):
    """Whole seconds from ``start`` to ``end`` (both timestamps), the same on both databases:
    each timestamp is truncated to its second (Unix epoch) and the two are subtracted."""

    output_field = BigIntegerField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - per vendor
        raise NotImplementedError(f"SecondsBetween is not implemented for {connection.vendor}")

    def _pair(self, compiler, connection):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        return end_sql, start_sql, (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        end_sql, start_sql, params = self._pair(compiler, connection)
        sql = (
            f"(CAST(strftime('%%s', {end_sql}) AS INTEGER)"
            f" - CAST(strftime('%%s', {start_sql}) AS INTEGER))"
        )
        return sql, params

    def as_postgresql(self, compiler, connection, **extra_context):
        end_sql, start_sql, params = self._pair(compiler, connection)
        sql = (
            f"(CAST(FLOOR(EXTRACT(EPOCH FROM {end_sql})) AS BIGINT)"
            f" - CAST(FLOOR(EXTRACT(EPOCH FROM {start_sql})) AS BIGINT))"
        )
        return sql, params


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError(fraction)
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


PERCENTILES = {"median": 0.5, "p90": 0.9}


def _interpolate(low: int, high: int | None, position: Fraction) -> float:
    fraction = position - math.floor(position)
    if high is None or not fraction:
        return float(low)
    return float(low + (high - low) * fraction)


def percentiles(queryset: QuerySet, expression, fractions=PERCENTILES) -> dict[str, float | None]:
    """The continuous percentiles of ``expression`` over ``queryset`` (None when empty), and
    under ``"n"`` the number of rows they were taken over.

    PostgreSQL: one aggregate query. SQLite: a COUNT, then per percentile one query that reads
    the two neighbouring values in SQL order (``LIMIT 2 OFFSET k``)."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        row = queryset.aggregate(
            n=Count("pk"), **{key: PercentileCont(expression, p) for key, p in fractions.items()}
        )
        if not row["n"]:
            return {**dict.fromkeys(fractions), "n": 0}
        return {**{key: float(row[key]) for key in fractions}, "n": row["n"]}
    annotated = queryset.annotate(_v=expression)
    n = annotated.count()
    if not n:
        return {**dict.fromkeys(fractions), "n": 0}
    result = {"n": n}
    for key, p in fractions.items():
        position = Fraction(p).limit_denominator(1000) * (n - 1)
        k = math.floor(position)
        pair = list(annotated.order_by("_v").values_list("_v", flat=True)[k : k + 2])
        result[key] = _interpolate(pair[0], pair[1] if len(pair) > 1 else None, position)
    return result


# --- scope ---------------------------------------------------------------------------------------


def cases_of(unit: Unit) -> QuerySet[Case]:
    """The unit's cases and its sub-units' (on the id list: see ``Unit.subtree_pks``)."""
    return Case.objects.filter(unit_id__in=unit.subtree_pks())


def _in(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def received_in(unit: Unit, month: Month) -> QuerySet[Case]:
    return cases_of(unit).filter(_in("received_at", month.start, month.end))


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: float | int


# Each figure comes in two halves: ``*_data`` runs the query and returns plain numbers, codes and
# stored names (JSON-able, language-independent: what a month snapshot keeps), ``*_rows`` turns
# them into labelled rows in the active language. Live and stored figures go through the same
# ``*_rows``, so they cannot differ.


def _count_by(unit: Unit, month: Month, field: str) -> list[list]:
    rows = received_in(unit, month).values(field).order_by().annotate(n=Count("pk"))
    return [[r[field], r["n"]] for r in rows]


def _choice_rows(data: list[list], choices) -> list[Row]:
    labels = dict(choices)
    return [
        Row(code, str(labels.get(code, code)), n)
        for code, n in sorted(data, key=lambda r: (-r[1], r[0]))
    ]


def volume_by_kind_data(unit: Unit, month: Month) -> list[list]:
    """[[kind, count], …] of the cases received in the month."""
    return _count_by(unit, month, "kind")


def kind_rows(data: list[list]) -> list[Row]:
    return _choice_rows(data, CaseKind.choices)


def volume_by_kind(unit: Unit, month: Month) -> list[Row]:
    return kind_rows(volume_by_kind_data(unit, month))


def volume_by_channel_data(unit: Unit, month: Month) -> list[list]:
    """[[channel, count], …] of the cases received in the month."""
    return _count_by(unit, month, "channel")


def channel_rows(data: list[list]) -> list[Row]:
    return _choice_rows(data, Channel.choices)


def volume_by_channel(unit: Unit, month: Month) -> list[Row]:
    return channel_rows(volume_by_channel_data(unit, month))


def volume_by_service_data(unit: Unit, month: Month) -> list[list]:
    """[[service slug or None, its published name or None, count], …]."""
    rows = (
        received_in(unit, month)
        .values("standard__slug", "standard__published_version__name")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return [[r["standard__slug"], r["standard__published_version__name"], r["n"]] for r in rows]


def _service_label(slug: str | None, name: str | None) -> str:
    return name or slug or _("No service standard")


def service_rows(data: list[list]) -> list[Row]:
    result = [Row(slug or "", _service_label(slug, name), n) for slug, name, n in data]
    return sorted(result, key=lambda r: (-r.value, r.label))


def volume_by_service(unit: Unit, month: Month) -> list[Row]:
    return service_rows(volume_by_service_data(unit, month))


def total_received(rows: list[Row]) -> int:
    return sum(int(r.value) for r in rows)


def _finished_in(unit: Unit, month: Month) -> QuerySet[Case]:
    return (
        cases_of(unit)
        .filter(due_at__isnull=False)
        .alias(finished_at=Coalesce("answered_at", "closed_at"))
        .filter(_in("finished_at", month.start, month.end))
    )


@dataclass(frozen=True)
class OnTime:
    key: str
    label: str
    finished: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """Share on time, in percent (None when nothing finished)."""
        return None if not self.finished else 100 * self.on_time / self.finished


def on_time_by_service_data(unit: Unit, month: Month) -> list[list]:
    """[[service slug or None, name or None, finished, on time], …] — one query."""
    rows = (
        _finished_in(unit, month)
        .values("standard__slug", "standard__published_version__name")
        .order_by()
        .annotate(
            finished=Count("pk"),
            on_time=Count("pk", filter=Q(finished_at__lte=F("due_at"))),
        )
    )
    return [
        [r["standard__slug"], r["standard__published_version__name"], r["finished"], r["on_time"]]
        for r in rows
    ]


def on_time_rows(data: list[list]) -> list[OnTime]:
    per_service = sorted(
        (
            OnTime(slug or "-", _service_label(slug, name), finished, on_time)
            for slug, name, finished, on_time in data
        ),
        key=lambda row: (-row.finished, row.label),
    )
    total = OnTime(
        "",
        _("All services"),
        sum(r.finished for r in per_service),
        sum(r.on_time for r in per_service),
    )
    return [total, *per_service]


def on_time_by_service(unit: Unit, month: Month) -> list[OnTime]:
    """Per service standard (the completion time each case was held to), plus the total row
    first (key ``""``). One query."""
    return on_time_rows(on_time_by_service_data(unit, month))


@dataclass(frozen=True)
class Durations:
    first_response_n: int
    first_response_median: float | None  # seconds
    first_response_p90: float | None
    close_n: int
    close_median: float | None
    close_p90: float | None


def durations(unit: Unit, month: Month) -> Durations:
    """Median and 90th percentile of the time to first response and to close (seconds)."""
    responded = cases_of(unit).filter(_in("first_response_at", month.start, month.end))
    closed = cases_of(unit).filter(_in("closed_at", month.start, month.end))
    first = percentiles(responded, SecondsBetween(F("first_response_at"), F("received_at")))
    close = percentiles(closed, SecondsBetween(F("closed_at"), F("received_at")))
    return Durations(
        first["n"],
        first["median"],
        first["p90"],
        close["n"],
        close["median"],
        close["p90"],
    )


@dataclass(frozen=True)
class DivisionLoad:
    unit_id: int | None
    label: str
    open: int
    overdue: int


def open_by_division_data(
    unit: Unit, month: Month, *, now: dt.datetime | None = None
) -> list[list]:
    """[[division id or None, its name or None, its path or None, open, overdue], …]."""
    now = now or timezone.now()
    cutoff = min(now, month.end)
    rows = (
        cases_of(unit)
        .filter(status__in=OPEN_STATUSES, received_at__lt=month.end)
        .values("assigned_unit_id", "assigned_unit__name", "assigned_unit__path")
        .order_by()
        .annotate(
            open=Count("pk"),
            # Overdue as everywhere (cases/selectors.overdue_q), at the end of the period.
            overdue=Count("pk", filter=overdue_q(cutoff)),
        )
    )
    return [
        [
            r["assigned_unit_id"],
            r["assigned_unit__name"],
            r["assigned_unit__path"],
            r["open"],
            r["overdue"],
        ]
        for r in rows
    ]


def division_rows(data: list[list]) -> list[DivisionLoad]:
    data = sorted(data, key=lambda r: (r[2] is None, r[2] or ""))
    return [
        DivisionLoad(pk, name or _("Not assigned to a division"), open_, overdue)
        for pk, name, _path, open_, overdue in data
    ]


def open_by_division(
    unit: Unit, month: Month, *, now: dt.datetime | None = None
) -> list[DivisionLoad]:
    """Open cases received before the period ended, and the overdue ones, by assigned Bagian."""
    return division_rows(open_by_division_data(unit, month, now=now))


def complaint_classes_data(unit: Unit, month: Month) -> list[list]:
    """[[class code or None, class name or None, count], …] of the complaints received."""
    rows = (
        received_in(unit, month)
        .filter(kind=CaseKind.COMPLAINT)
        .values("complaint__class_code", "complaint__class_name")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return [[r["complaint__class_code"], r["complaint__class_name"], r["n"]] for r in rows]


def class_rows(data: list[list]) -> list[Row]:
    result = [Row(code or "", name or code or _("Not yet classified"), n) for code, name, n in data]
    return sorted(result, key=lambda r: (-r.value, r.label))


def complaint_classes(unit: Unit, month: Month) -> list[Row]:
    return class_rows(complaint_classes_data(unit, month))


def volume_trend(unit: Unit, month: Month, months: int = 12) -> list[Row]:
    """Cases received per month, the ``months`` months up to ``month`` (missing months are 0)."""
    first = month.minus(months - 1)
    rows = (
        cases_of(unit)
        .filter(received_at__gte=first.start, received_at__lt=month.end)
        .annotate(m=TruncMonth("received_at", tzinfo=office_tz()))
        .values("m")
        .order_by()
        .annotate(n=Count("pk"))
    )
    counts = {Month.of(r["m"]): r["n"] for r in rows}
    return [
        Row(str(m), m.label(), counts.get(m, 0)) for m in (first.minus(-i) for i in range(months))
    ]


def ikm_trend(unit: Unit, month: Month, months: int = 12) -> list[tuple[Month, object]]:
    """(month, IkmResult) for the ``months`` months up to ``month``; one query."""
    from layanan.surveys.ikm import IkmResult, _aggregates, _totals
    from layanan.surveys.models import SurveyResponse

    first = month.minus(months - 1)
    rows = (
        SurveyResponse.objects.filter(
            unit__path__startswith=unit.path,
            answered_on__gte=first.first_day,
            answered_on__lte=month.last_day,
        )
        .annotate(m=TruncMonth("answered_on"))
        .values("m")
        .order_by()
        .annotate(**_aggregates())
    )
    by_month = {Month.of(r["m"]): r for r in rows}
    result = []
    for m in (first.minus(-i) for i in range(months)):
        row = by_month.get(m)
        result.append(
            (
                m,
                IkmResult(
                    unit=unit,
                    service=None,
                    start=m.first_day,
                    end=m.last_day,
                    respondents=row["n"] if row else 0,
                    totals=_totals(row) if row else (0,) * 9,
                ),
            )
        )
    return result


# --- visits -------------------------------------------------------------------------------------

#: The administration time the walk-in standards promise ("Administrasi : 15 Menit"), in
#: seconds, when the visit's own time limit is not in minutes or hours (as ``layanan.visits``).
VISIT_ADMIN_SECONDS = 15 * 60


def visits_admin_time(unit: Unit, month: Month) -> dict | None:
    """Visits (cases with a ``visits.VisitDetail``) received in the period: how many, how many
    were served, how many within their administration time (arrival → first served, held to the
    case's limit in minutes or hours, else 15 minutes) and the median administration time.

    ``None`` when the visits app is not installed — the reports then leave the section out. This
    function is the only place that knows about ``layanan.visits``; it reads the case rows
    through the ``visit`` relation, so it is still one aggregate over the cases table."""
    if not apps.is_installed("layanan.visits"):
        return None
    from django.db.models import Case as CaseWhen
    from django.db.models import Value, When
    from django.db.models.lookups import LessThanOrEqual

    limit = CaseWhen(
        When(sla_unit="minutes", sla_value__gt=0, then=F("sla_value") * 60),
        When(sla_unit="hours", sla_value__gt=0, then=F("sla_value") * 3600),
        default=Value(VISIT_ADMIN_SECONDS),
        output_field=BigIntegerField(),
    )
    admin = SecondsBetween(F("visit__served_at"), F("visit__arrived_at"))
    visits = received_in(unit, month).filter(visit__isnull=False)
    row = visits.aggregate(
        n=Count("pk"),
        served=Count("pk", filter=Q(visit__served_at__isnull=False)),
        within=Count("pk", filter=Q(LessThanOrEqual(admin, limit), visit__served_at__isnull=False)),
    )
    median = percentiles(visits.filter(visit__served_at__isnull=False), admin, {"median": 0.5})[
        "median"
    ]
    return {
        "visits": row["n"],
        "served": row["served"],
        "within": row["within"],
        "rate": None if not row["served"] else 100 * row["within"] / row["served"],
        "median": median,
        "minutes": VISIT_ADMIN_SECONDS // 60,
    }
