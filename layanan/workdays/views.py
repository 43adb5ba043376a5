"""The staff calendar page: a year at a glance (weekends, national holidays, cuti bersama, local
holidays of the unit and its ancestors, office-hour overrides) for the system default or for one
unit, with the banner of :func:`~layanan.workdays.selectors.calendar_gaps`. Server-rendered, no
JavaScript."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.views.decorators.http import require_safe

from layanan.accounts.permissions import can
from layanan.cases.views import staff_context
from layanan.core.models import Unit

from .deadlines import Calendar, Day
from .models import Holiday, OfficeHoursOverride
from .selectors import calendar_gaps

MIN_YEAR, MAX_YEAR = 1950, 2200


def _cell(info: Day) -> dict:
    classes = []
    if info.holiday_kind:
        classes.append(f"d-{info.holiday_kind}")
    elif info.regular is None:
        classes.append("d-weekend")
    elif not info.is_working_day:
        classes.append("d-closed")
    elif info.override is not None:
        classes.append("d-override")
    label = info.holiday or (info.override.reason if info.override else "")
    return {"day": info.date.day, "classes": " ".join(classes), "label": label, "date": info.date}


def _months(cal: Calendar, year: int) -> list[dict]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([_cell(cal.day(day)) if day.month == month else None for day in week])
        months.append({"name": MONTHS[month], "weeks": weeks})
    return months


def _week_rows(cal: Calendar) -> list[dict]:
    return [{"name": WEEKDAYS[weekday], "hours": cal.week.get(weekday)} for weekday in range(7)]


@login_required
@require_safe
def year_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    if not can(request.user, "staff.access"):
        raise PermissionDenied
    if year is None:
        year = timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("Year out of range")
    units = list(Unit.objects.only("pk", "name", "short_name", "slug", "path"))
    unit = None
    slug = request.GET.get("unit", "")
    if slug:
        unit = next((u for u in units if u.slug == slug), None)
        if unit is None:
            raise Http404("Unknown unit")
    cal = Calendar.for_unit(unit)
    chain = [u.pk for u in units if unit.path.startswith(u.path)] if unit is not None else []
    # The holidays this unit keeps: national ones and the local ones of it and its ancestors.
    holidays = list(Holiday.objects.in_year(year).for_units(chain).select_related("unit"))
    overrides = OfficeHoursOverride.objects.overlapping(
        dt.date(year, 1, 1), dt.date(year, 12, 31)
    ).select_related("unit")
    if unit is not None:
        overrides = overrides.filter(Q(unit__isnull=True) | Q(unit__in=chain))
    overrides = list(overrides)
    for o in overrides:
        o.weekday_names = ", ".join(str(WEEKDAYS_ABBR[int(c)]) for c in sorted(o.weekdays))
    context = {
        "year": year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "unit": unit,
        "units": units,
        "months": _months(cal, year),
        "weekday_names": [WEEKDAYS_ABBR[d] for d in range(7)],
        "week": _week_rows(cal),
        "week_source": cal.week_source,
        "holidays": holidays,
        "overrides": overrides,
        "holiday_count": sum(1 for h in holidays if not h.cancelled),
        "has_holidays": any(h.unit_id is None for h in holidays),
        "calendar_gaps": calendar_gaps(),
        **staff_context(request, "calendar"),
    }
    return render(request, "workdays/year.html", context)
