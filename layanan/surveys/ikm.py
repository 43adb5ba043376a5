"""The Community Satisfaction Index (IKM) exactly as PermenPANRB 14/2017 computes it.

Per element (unsur) *i* over the *n* responses::

    NRR_i            = (sum of the answers to element i) / n          (nilai rata-rata)
    weighted NRR_i   = NRR_i × 1/9                                    (NRR tertimbang)
    IKM              = Σ weighted NRR_i                               (1.00 … 4.00)
    converted IKM    = IKM × 25                                       (25.00 … 100.00)

The weight is the regulation's formula, *bobot = jumlah bobot / jumlah unsur = 1/9*, used
exactly: many spreadsheets round it to 0.111, which understates every IKM by 0.1 % (a
perfect 4.00 becomes 3.996 → 99.90). We keep exact fractions throughout and round only the
numbers shown: converted values to two decimals, half up.

Quality grade and unit performance come from the converted value *rounded to two decimals*
(the regulation's table lists converted intervals with two decimals: 25.00–64.99 D,
65.00–76.60 C, 76.61–88.30 B, 88.31–100.00 A), so its gaps (64.99 → 65.00, 76.60 → 76.61,
88.30 → 88.31) cannot be fallen into. The same bands grade each element on NRR × 25.

SQL does the counting: one aggregate query per call returns the number of responses and the
sum of each element (an exact integer; NRR is that sum divided by n, i.e. the element's
average, computed here as an exact fraction instead of the database's floating AVG so that
band boundaries come out the same on SQLite and PostgreSQL). Nothing loops over responses.
A second query counts the people served when the caller does not give that number.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layanan.catalog.models import ServiceStandard
from layanan.core.db_routing import reading_replica
from layanan.core.models import Unit

from .models import SurveyResponse
from .questionnaire import ELEMENTS, Element

WEIGHT = Fraction(1, len(ELEMENTS))  # 1/9, the regulation's "jumlah bobot / jumlah unsur"
CONVERSION = 25


class Performance(models.TextChoices):
    VERY_GOOD = "sangat_baik", pgettext_lazy("unit performance", "Very good")
    GOOD = "baik", pgettext_lazy("unit performance", "Good")
    LESS_GOOD = "kurang_baik", pgettext_lazy("unit performance", "Less than good")
    NOT_GOOD = "tidak_baik", pgettext_lazy("unit performance", "Not good")


@dataclass(frozen=True)
class Band:
    grade: str  # mutu pelayanan: A, B, C, D
    performance: Performance  # kinerja unit pelayanan
    lowest: Decimal  # lowest converted value (two decimals) in the band
    highest: Decimal


# PermenPANRB 14/2017, Lampiran: nilai persepsi, interval IKM, interval konversi, mutu, kinerja.
BANDS: tuple[Band, ...] = (
    Band("A", Performance.VERY_GOOD, Decimal("88.31"), Decimal("100.00")),
    Band("B", Performance.GOOD, Decimal("76.61"), Decimal("88.30")),
    Band("C", Performance.LESS_GOOD, Decimal("65.00"), Decimal("76.60")),
    Band("D", Performance.NOT_GOOD, Decimal("25.00"), Decimal("64.99")),
)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, half up, exactly (no binary floats)."""
    scale = 10**places
    scaled = math.floor(value * scale + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def band_for(converted: Decimal) -> Band:
    """The band of a converted value already rounded to two decimals (25.00 … 100.00)."""
    if not Decimal("25.00") <= converted <= Decimal("100.00"):
        raise ValueError(f"converted IKM out of range: {converted}")
    for band in BANDS:
        if converted >= band.lowest:
            return band
    raise AssertionError("unreachable")  # pragma: no cover


# --- minimum sample: Krejcie & Morgan (1970) ---------------------------------------------------

#: The Krejcie–Morgan table (population N → sample S), as printed in the regulation's annex.
KREJCIE_MORGAN_TABLE: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
_TABLE = dict(KREJCIE_MORGAN_TABLE)
_CHI_SQUARE = Fraction(3841, 1000)  # χ² for 1 degree of freedom at 95 %
_P = Fraction(1, 2)
_D = Fraction(5, 100)


def krejcie_morgan_formula(population: int) -> Fraction:
    """S = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)), exactly."""
    pq = _P * (1 - _P)
    return _CHI_SQUARE * population * pq / (_D * _D * (population - 1) + _CHI_SQUARE * pq)


def krejcie_morgan(population: int) -> int:
    """Minimum number of respondents for ``population`` people served.

    A population that is a row of the table gets the table's value. Between rows (and beyond
    the last) the formula is applied and rounded to the nearest whole respondent, half up —
    the rule the table itself follows: it reproduces every row (tested), so the result rises
    smoothly from one row to the next instead of jumping at row boundaries. A population of
    ten or fewer is surveyed whole.
    """
    if population <= 0:
        return 0
    if population in _TABLE:
        return _TABLE[population]
    if population < KREJCIE_MORGAN_TABLE[0][0]:
        return population
    return int(round_half_up(krejcie_morgan_formula(population), 0))


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementResult:
    element: Element
    total: int  # sum of the answers
    respondents: int

    @property
    def nrr(self) -> Fraction:
        return Fraction(self.total, self.respondents)

    @property
    def nrr_display(self) -> Decimal:
        return round_half_up(self.nrr, 2)

    @property
    def weighted(self) -> Fraction:
        return self.nrr * WEIGHT

    @property
    def converted(self) -> Decimal:
        return round_half_up(self.nrr * CONVERSION)

    @property
    def band(self) -> Band:
        return band_for(self.converted)

    def as_dict(self) -> dict:
        return {
            "element": self.element.field,
            "name": str(self.element.name),
            "nrr": float(round_half_up(self.nrr, 3)),
            "nrr_weighted": float(round_half_up(self.weighted, 4)),
            "converted": float(self.converted),
            "grade": self.band.grade,
        }


@dataclass(frozen=True)
class IkmResult:
    unit: Unit
    service: ServiceStandard | None
    start: datetime.date | None
    end: datetime.date | None
    respondents: int
    totals: tuple[int, ...]  # sum of the answers, per element
    population: int | None = None
    elements: list[ElementResult] = field(init=False)

    def __post_init__(self):
        n = self.respondents
        pairs = zip(ELEMENTS, self.totals, strict=True)
        elements = [ElementResult(e, t, n) for e, t in pairs] if n else []
        object.__setattr__(self, "elements", elements)

    @property
    def ikm(self) -> Fraction | None:
        """Σ NRR × 1/9, unconverted (1 … 4); None without responses."""
        if not self.respondents:
            return None
        return sum((e.weighted for e in self.elements), Fraction(0))

    @property
    def converted(self) -> Decimal | None:
        return None if self.ikm is None else round_half_up(self.ikm * CONVERSION)

    @property
    def band(self) -> Band | None:
        return None if self.converted is None else band_for(self.converted)

    @property
    def grade(self) -> str:
        return self.band.grade if self.band else ""

    @property
    def performance(self) -> str:
        return str(self.band.performance.label) if self.band else ""

    @property
    def min_sample(self) -> int | None:
        return None if self.population is None else krejcie_morgan(self.population)

    @property
    def sample_short(self) -> bool:
        """Fewer respondents than the Krejcie–Morgan minimum for the people served."""
        return self.min_sample is not None and self.respondents < self.min_sample

    @property
    def warnings(self) -> list[str]:
        notes = []
        if not self.respondents:
            notes.append(str(_("No responses in this range.")))
        if self.sample_short:
            notes.append(
                str(
                    _(
                        "Only %(respondents)s respondents: at least %(minimum)s are needed for "
                        "%(population)s people served (Krejcie–Morgan)."
                    )
                    % {
                        "respondents": self.respondents,
                        "minimum": self.min_sample,
                        "population": self.population,
                    }
                )
            )
        return notes

    def as_dict(self) -> dict:
        return {
            "unit": self.unit.slug,
            "service": self.service.slug if self.service else None,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "respondents": self.respondents,
            "elements": [e.as_dict() for e in self.elements],
            "ikm": None if self.ikm is None else float(round_half_up(self.ikm, 4)),
            "ikm_converted": None if self.converted is None else float(self.converted),
            "grade": self.grade or None,
            "performance": self.band.performance.value if self.band else None,
            "performance_label": self.performance or None,
            "population": self.population,
            "min_sample": self.min_sample,
            "sample_sufficient": None if self.min_sample is None else not self.sample_short,
            "warnings": self.warnings,
        }


def _aggregates() -> dict:
    return {"n": Count("pk"), **{f"s{e.number}": Sum(e.field) for e in ELEMENTS}}


def _totals(row: dict) -> tuple[int, ...]:
    return tuple(int(row[f"s{e.number}"] or 0) for e in ELEMENTS)


def _date_filter(prefix: str, start, end) -> Q:
    condition = Q()
    if start:
        condition &= Q(**{f"{prefix}__gte": start})
    if end:
        condition &= Q(**{f"{prefix}__lte": end})
    return condition


def population_served(*, unit: Unit, service=None, start=None, end=None) -> int:
    """People served as Layanan recorded them: cases of the unit (and its sub-units) received in
    the range, except rejected or withdrawn ones. One query."""
    from layanan.cases.models import Case, Status

    cases = Case.objects.filter(unit_id__in=unit.subtree_pks()).exclude(
        status__in=[Status.REJECTED, Status.WITHDRAWN]
    )
    if service is not None:
        cases = cases.filter(standard=service)
    # Whole office-time days as a range of instants (indexable), not ``received_at__date``
    # (a per-row time-zone conversion that no index serves).
    tz = timezone.get_current_timezone()
    if start:
        cases = cases.filter(received_at__gte=datetime.datetime.combine(start, datetime.time(), tz))
    if end:
        next_day = end + datetime.timedelta(days=1)
        cases = cases.filter(
            received_at__lt=datetime.datetime.combine(next_day, datetime.time(), tz)
        )
    return cases.count()


def ikm_compute(
    *,
    unit: Unit,
    service: ServiceStandard | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    population: int | None = None,
    count_population: bool = True,
) -> IkmResult:
    """The IKM of ``unit`` (with its sub-units), optionally of one service and a date range
    (inclusive, on the day answered). One query; a second one counts the people served when
    ``population`` is not given (skip it with ``count_population=False``)."""
    # On the id list, not a join on ``unit__path__startswith``: the (unit, answered_on) index
    # then serves the range (see ``Unit.subtree_pks``).
    responses = SurveyResponse.objects.filter(unit_id__in=unit.subtree_pks())
    if service is not None:
        responses = responses.filter(service=service)
    row = responses.filter(_date_filter("answered_on", start, end)).aggregate(**_aggregates())
    if population is None and count_population:
        population = population_served(unit=unit, service=service, start=start, end=end)
    return IkmResult(
        unit=unit,
        service=service,
        start=start,
        end=end,
        respondents=row["n"],
        totals=_totals(row),
        population=population,
    )


@reading_replica()
def ikm_by_unit(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    within: Unit | None = None,
) -> list[IkmResult]:
    """The IKM of every unit that has responses in the range, each including its sub-units, in
    the unit tree's order. Three queries whatever the number of units and responses: units,
    per-unit sums of answers, per-unit case counts. Sums add up, so a unit's figures are the
    sums of its subtree's rows — a loop over units, never over responses."""
    from layanan.cases.models import Case, Status

    units = Unit.objects.all()
    if within is not None:
        units = units.filter(path__startswith=within.path)
    units = list(units.order_by("path"))
    responses = SurveyResponse.objects.filter(_date_filter("answered_on", start, end))
    if within is not None:
        responses = responses.filter(unit__path__startswith=within.path)
    rows = {
        row["unit_id"]: row
        for row in responses.values("unit_id").order_by().annotate(**_aggregates())
    }
    served = dict(
        Case.objects.exclude(status__in=[Status.REJECTED, Status.WITHDRAWN])
        .filter(_date_filter("received_at__date", start, end))
        .values("unit_id")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    path_of = {u.pk: u.path for u in units}
    results = []
    for unit in units:
        below = [pk for pk, path in path_of.items() if path.startswith(unit.path)]
        mine = [rows[pk] for pk in below if pk in rows]
        n = sum(r["n"] for r in mine)
        if not n:
            continue
        totals = tuple(sum(t) for t in zip(*(_totals(r) for r in mine), strict=True))
        population = sum(served.get(pk, 0) for pk in below)
        results.append(
            IkmResult(
                unit=unit, service=None, start=start, end=end, respondents=n,
                totals=totals, population=population,
            )
        )  # fmt: skip
    return results
