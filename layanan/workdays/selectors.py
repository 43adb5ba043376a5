"""Reads about the state of the working-day calendar: is every year a running case reaches
ready to count deadlines in?

A year is a *gap* when the holiday table has no national rows for it (deadlines there count
weekends and office hours only: 21 Dec 2026 + 60 working days falls two weeks early) or when it
still holds dates estimated by the ``holidays`` package that no administrator has confirmed
against the decree (Idul Fitri, Idul Adha…). :func:`calendar_gaps` drives the banner of the
inbox, the calendar page and the holiday admin, the ``calendar`` check of ``/healthz`` and the
warning of ``manage.py deadline`` (docs/deadlines.md, "The new year").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Holiday

if TYPE_CHECKING:
    from django.db.models import QuerySet

NO_HOLIDAYS = "no_holidays"
UNCONFIRMED_ESTIMATES = "unconfirmed_estimates"


@dataclass(frozen=True)
class CalendarGap:
    """One year that deadlines cannot be trusted in yet."""

    year: int
    missing: bool  # no national holiday rows at all
    estimates: tuple[tuple[dt.date, str], ...] = field(default=())  # unconfirmed (date, name)

    @property
    def reason(self) -> str:
        return NO_HOLIDAYS if self.missing else UNCONFIRMED_ESTIMATES

    def describe(self) -> str:
        """One sentence for monitoring and the command line (English, stable)."""
        if self.missing:
            return (
                f"the holiday table has no rows for {self.year}; deadlines there count weekends "
                f"and office hours only (run: manage.py sync_holidays {self.year})"
            )
        dates = ", ".join(day.isoformat() for day, _name in self.estimates)
        return (
            f"{len(self.estimates)} holiday date(s) of {self.year} are estimates not confirmed "
            f"against the decree ({dates}): confirm or correct them in the admin"
        )

    def message(self) -> str:
        """The same, translated, for the staff banner."""
        if self.missing:
            return _(
                "%(year)d: the holiday table has no dates for this year, so deadlines that reach "
                "it count weekends only."
            ) % {"year": self.year}
        return ngettext(
            "%(year)d: %(count)d holiday date is an estimate not yet confirmed against the "
            "decree (%(dates)s).",
            "%(year)d: %(count)d holiday dates are estimates not yet confirmed against the "
            "decree (%(dates)s).",
            len(self.estimates),
        ) % {
            "year": self.year,
            "count": len(self.estimates),
            "dates": ", ".join(
                f"{date_format(day, 'j M Y')} {name}" for day, name in self.estimates
            ),
        }


def _gaps(
    rows: Iterable[tuple[dt.date, str, bool, bool]], years: Iterable[int]
) -> list[CalendarGap]:
    """The gaps among ``years`` given the national holiday rows (date, name, estimated,
    cancelled) of those years."""
    with_rows: set[int] = set()
    estimates: dict[int, list[tuple[dt.date, str]]] = {}
    for day, name, is_estimated, cancelled in rows:
        with_rows.add(day.year)
        if is_estimated and not cancelled:
            estimates.setdefault(day.year, []).append((day, name))
    gaps = []
    for year in sorted(set(years)):
        if year not in with_rows:
            gaps.append(CalendarGap(year=year, missing=True))
        elif year in estimates:
            gaps.append(CalendarGap(year=year, missing=False, estimates=tuple(estimates[year])))
    return gaps


def _national_rows(first_year: int, last_year: int | None = None) -> QuerySet[Holiday]:
    rows = Holiday.objects.national().filter(date__gte=dt.date(first_year, 1, 1))
    if last_year is not None:
        rows = rows.filter(date__lte=dt.date(last_year, 12, 31))
    return rows.order_by("date")


def year_gaps(years: Iterable[int]) -> list[CalendarGap]:
    """The gaps among ``years`` (one query on the holiday table, whatever the number of years)."""
    years = sorted(set(years))
    if not years:
        return []
    rows = _national_rows(years[0], years[-1]).values_list(
        "date", "name", "is_estimated", "cancelled"
    )
    return _gaps(rows, years)


def calendar_gaps(now: dt.datetime | None = None) -> list[CalendarGap]:
    """The gaps in the years deadlines are being counted in, oldest first.

    Those years run from today to the horizon (``CALENDAR_HORIZON_DAYS``: a case received
    today with the longest deadline in use is due before it) and on to the latest due date of a
    running case; last year too while a case received then is still open (its deadline is
    recomputed when it pauses or is reclassified).

    One query when the calendar is ready: the national holiday rows from last year on, each
    carrying the latest due date of the running cases (a subquery on the partial index
    ``case_open_due``). One more when there are no such rows, and one more (does an open case
    date from last year?) when last year is itself a gap."""
    from django_scopes import scopes_disabled

    from layanan.cases.models import OPEN_STATUSES, Case
    from layanan.cases.selectors import ACTIVE_STATUSES

    now = now or timezone.now()
    today = timezone.localdate(now)
    # Only dates of cases are read, never a case, and only to pick years: not scoped to a unit.
    with scopes_disabled():
        running = Case.objects.filter(status__in=ACTIVE_STATUSES, due_at__isnull=False)
        latest_due_of_running = running.order_by("-due_at").values("due_at")[:1]
        rows = list(
            _national_rows(today.year - 1)
            .annotate(latest_due=Subquery(latest_due_of_running))
            .values_list("date", "name", "is_estimated", "cancelled", "latest_due")
        )
        latest_due = rows[0][4] if rows else running.aggregate(latest=Max("due_at"))["latest"]
        last = (today + dt.timedelta(days=settings.CALENDAR_HORIZON_DAYS)).year
        if latest_due is not None:
            last = max(last, timezone.localdate(latest_due).year)
        gaps = _gaps((row[:4] for row in rows), range(today.year - 1, last + 1))
        if gaps and gaps[0].year == today.year - 1:
            this_year = timezone.make_aware(dt.datetime(today.year, 1, 1))
            opened_before = Case.objects.filter(
                status__in=OPEN_STATUSES, received_at__lt=this_year
            ).exists()
            if not opened_before:
                gaps = gaps[1:]
    return gaps
