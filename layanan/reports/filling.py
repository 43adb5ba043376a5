"""Filling the stored months (``snapshots.py``) ahead of readers: the command
``fill_report_snapshots`` and its task run this daily, so the first reader of a month that just
closed does not pay for computing it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from layanan.core.models import Unit

from .metrics import Month
from .snapshots import is_closed
from .summary import months_data


@dataclass
class FillReport:
    months: list[Month]
    units: int = 0
    computed: int = 0  # (unit, month) pairs computed and stored now; the rest were stored

    def as_dict(self) -> dict:
        return {
            "months": [str(m) for m in self.months],
            "units": self.units,
            "computed": self.computed,
        }


def snapshots_fill(
    *, months: int = 12, last: Month | None = None, now: dt.datetime | None = None
) -> FillReport:
    """Store the figures of every unit for the ``months`` closed months up to ``last`` (default:
    the month before this one) that are not stored yet. Idempotent: a stored month costs one
    query per unit and nothing else; the first run after a month ends computes that month for
    every unit. Run daily (``manage.py fill_report_snapshots``, or the task)."""
    now = now or timezone.now()
    last = last or Month.of(timezone.localtime(now, timezone.get_default_timezone()).date())
    if last == Month.of(timezone.localtime(now, timezone.get_default_timezone()).date()):
        last = last.previous()
    wanted = [last.minus(i) for i in range(months - 1, -1, -1)]
    wanted = [m for m in wanted if is_closed(m, now)]
    report = FillReport(months=wanted)
    for unit in Unit.objects.order_by("path"):
        _data, computed = months_data(unit, wanted, now=now)
        report.units += 1
        report.computed += len(computed)
    return report
