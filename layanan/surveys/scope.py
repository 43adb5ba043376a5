"""Which responses a published IKM covers — the one rule every surface uses (the public results
page, the staff and public dashboards, the SKM report, the API's ``/ikm``):

1. the **survey period running today** (first day ≤ today ≤ last day) that applies to the
   unit: its own or an ancestor's, else an office-wide one (the most specific wins, then the
   latest start);
2. when none is running, the **last 12 months** up to today, and every page says so.

And whose head-count sets the Krejcie–Morgan minimum sample: the period's *people served* when
the administrator entered it for that unit (an office-wide period's for the top unit), else the
cases the unit recorded in the range (``ikm.population_served``). The warning itself is
``IkmResult.sample_short`` / ``IkmResult.warnings``: one rule, shown everywhere.

Periods are made by the administrator (admin → Survey periods) and, from the cadence of the
unit's standards, by ``periods.py``; nothing here makes one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit

from .ikm import IkmResult, ikm_compute
from .models import SurveyPeriod

ROLLING_MONTHS = 12


def rolling_start(today: dt.date) -> dt.date:
    """The first day of the 12 months that end ``today``: the day after the same date a year
    earlier (9 Dec 2026 → 10 Dec 2025; 29 Feb 2028 → 1 Mar 2027)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1)


def current_period(unit: Unit | None = None, today: dt.date | None = None) -> SurveyPeriod | None:
    """The period running ``today`` for ``unit`` (its own, an ancestor's or an office-wide one,
    the most specific first, then the latest start); without a unit, the office-wide one."""
    today = today or timezone.localdate()
    periods = SurveyPeriod.objects.filter(start__lte=today, end__gte=today).select_related("unit")
    periods = periods.filter(unit__isnull=True) if unit is None else periods.for_unit(unit)
    candidates = list(periods)
    if not candidates:
        return None

    def specificity(p: SurveyPeriod):
        depth = p.unit.path.count("/") if p.unit_id else 0
        return (depth, p.start, -p.pk)

    return max(candidates, key=specificity)


def period_population(period: SurveyPeriod | None, unit: Unit, service=None) -> int | None:
    """The people served the administrator entered on ``period`` when it counts for ``unit``
    (the period's own unit, or the top unit for an office-wide period) and for the whole unit
    (not one service); None means "count the cases recorded"."""
    if period is None or period.population is None or service is not None:
        return None
    if period.unit_id == unit.pk or (period.unit_id is None and unit.parent_id is None):
        return period.population
    return None


@dataclass(frozen=True)
class ResultsScope:
    start: dt.date
    end: dt.date
    period: SurveyPeriod | None = None

    @property
    def rolling(self) -> bool:
        """No period: the last 12 months."""
        return self.period is None

    @property
    def running(self) -> bool:
        return self.period is not None and self.period.contains(timezone.localdate())

    def describe(self) -> str:
        """One sentence naming what the figures cover, for every page that shows them."""
        dates = {
            "start": formats.date_format(self.start, "j F Y"),
            "end": formats.date_format(self.end, "j F Y"),
        }
        if self.period is None:
            return _("The last 12 months, %(start)s – %(end)s: no survey period is running.") % (
                dates
            )
        return _("Survey period %(name)s, %(start)s – %(end)s.") % {
            **dates,
            "name": self.period.name,
        }

    def population_for(self, unit: Unit, service=None) -> int | None:
        return period_population(self.period, unit, service)


def results_scope(unit: Unit | None = None, today: dt.date | None = None) -> ResultsScope:
    """The running period for ``unit`` (office-wide without one), else the last 12 months."""
    today = today or timezone.localdate()
    period = current_period(unit, today)
    if period is not None:
        return ResultsScope(start=period.start, end=period.end, period=period)
    return ResultsScope(start=rolling_start(today), end=today)


def scope_of_period(period: SurveyPeriod) -> ResultsScope:
    return ResultsScope(start=period.start, end=period.end, period=period)


def ikm_in_scope(
    unit: Unit, scope: ResultsScope | None = None, service: ServiceStandard | None = None
) -> IkmResult:
    """The IKM of ``unit`` over ``scope`` (default: ``results_scope(unit)``), with the people
    served that set its minimum sample. Two queries (one when the period gives the people)."""
    scope = scope or results_scope(unit)
    return ikm_compute(
        unit=unit,
        service=service,
        start=scope.start,
        end=scope.end,
        population=scope.population_for(unit, service),
    )
