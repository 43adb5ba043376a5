"""Report pages.

- ``/laporan/`` — public dashboard: aggregates only (counts, rates, times, IKM), never a case,
  a name or a comment. Month and unit chosen with a plain GET form.
- ``/staf/laporan/`` — staff dashboard for heads, auditors and administrators, on the units
  ``visible_units(user, "report.view")`` gives; another unit is a 404.
- ``/staf/laporan/<unit>/<YYYY-MM>/evaluasi.pdf|.xlsx`` — the monthly evaluation.
- ``/staf/laporan/<unit>/skm/`` (+ ``skm.pdf`` / ``skm.xlsx``) — the SKM report of a survey
  period (``?periode=<slug>``, listed on the page) or a date range, where the head saves the
  follow-up plan; every member of the unit reads it (``report.skm_view``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can, visible_units
from layanan.cases.views import staff_context, staff_required
from layanan.core.models import Unit
from layanan.core.scoping import public_surface
from layanan.surveys.models import SurveyPeriod
from layanan.surveys.scope import current_period, results_scope

from . import exports
from .charts import bar_chart
from .forms import FollowUpForm, PeriodForm
from .metrics import Month
from .presenter import dashboard_context
from .skm import skm_report
from .summary import evaluation

#: The public dashboard is a few dozen aggregate queries; anonymous visitors share a cached copy
#: per URL and language for this long.
PUBLIC_CACHE_SECONDS = 300

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month_from(request: HttpRequest) -> tuple[Month, str]:
    """The month asked for with ``?bulan=YYYY-MM`` (default: this month), and an error text
    when what was typed could not be read (the page then shows this month)."""
    today = timezone.localdate()
    raw = request.GET.get("bulan", "").strip()
    if not raw:
        return Month.of(today), ""
    try:
        month = Month.parse(raw)
    except ValueError:
        return Month.of(today), _("“%(value)s” is not a month: use YYYY-MM, e.g. 2026-10.") % {
            "value": raw[:20]
        }
    if month > Month.of(today):
        return Month.of(today), _("Reports cannot look into the future; showing this month.")
    return month, ""


# --- public --------------------------------------------------------------------------------------


@require_safe
@cache_page(PUBLIC_CACHE_SECONDS)
@public_surface("published aggregates of every unit: counts, never a case")
def public_dashboard(request: HttpRequest) -> HttpResponse:
    month, error = _month_from(request)
    units = list(Unit.objects.order_by("path"))
    slug = request.GET.get("unit", "").strip()
    unit = next((u for u in units if u.slug == slug), None) if slug else units[0] if units else None
    if unit is None:
        raise Http404
    ev = evaluation(unit, month)
    return render(
        request,
        "reports/public_dashboard.html",
        {
            **dashboard_context(ev),
            "units": units,
            "unit": unit,
            "month": month,
            "month_error": error,
            "public": True,
        },
    )


# --- staff ---------------------------------------------------------------------------------------


def _report_units(request: HttpRequest):
    units = visible_units(request.user, "report.view").order_by("path")
    if not units.exists():
        raise PermissionDenied
    return units


def _report_unit(request: HttpRequest, slug: str, action: str = "report.view") -> Unit:
    """The unit, when the user may read its reports; 404 otherwise (as for another's case)."""
    unit = get_object_or_404(Unit, slug=slug)
    if not can(request.user, action, unit):
        raise Http404
    return unit


def _skm_unit(request: HttpRequest, slug: str) -> Unit:
    """The SKM report is read by every member of the unit (``report.skm_view``)."""
    return _report_unit(request, slug, "report.skm_view")


@staff_required
@require_safe
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    units = list(_report_units(request))
    month, error = _month_from(request)
    slug = request.GET.get("unit", "").strip()
    if slug:
        unit = next((u for u in units if u.slug == slug), None)
        if unit is None:
            raise Http404
    else:
        unit = units[0]
    ev = evaluation(unit, month)
    return render(
        request,
        "reports/staff_dashboard.html",
        {
            **staff_context(request, "reports"),
            **dashboard_context(ev),
            "units": units,
            "unit": unit,
            "month": month,
            "month_error": error,
            "public": False,
        },
    )


def _month_arg(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise Http404 from None


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@require_safe
def monthly_pdf(request: HttpRequest, unit_slug: str, month: str) -> HttpResponse:
    unit, m = _report_unit(request, unit_slug), _month_arg(month)
    return _download(
        exports.evaluation_pdf(evaluation(unit, m)),
        "application/pdf",
        exports.evaluation_filename(unit, m, "pdf"),
    )


@staff_required
@require_safe
def monthly_xlsx(request: HttpRequest, unit_slug: str, month: str) -> HttpResponse:
    unit, m = _report_unit(request, unit_slug), _month_arg(month)
    return _download(
        exports.evaluation_xlsx(evaluation(unit, m)),
        XLSX,
        exports.evaluation_filename(unit, m, "xlsx"),
    )


# --- SKM -----------------------------------------------------------------------------------------


def _skm_periods(unit: Unit, periods: list[SurveyPeriod], chosen: SurveyPeriod | None) -> list:
    """The periods of the unit that have started, newest first, each with its report link and
    whether its follow-up plan is written (one query)."""
    from .models import SkmFollowUp

    written = set(SkmFollowUp.objects.filter(unit=unit).values_list("start", "end"))
    base = reverse("reports:skm", args=[unit.slug])
    today = timezone.localdate()
    return [
        {
            "period": p,
            "url": f"{base}?{urlencode({'periode': p.slug})}",
            "running": p.contains(today),
            "follow_up": (p.start, p.end) in written,
            "chosen": chosen is not None and chosen.pk == p.pk,
        }
        for p in periods
    ]


def _skm_scope(
    request: HttpRequest, unit: Unit
) -> tuple[PeriodForm, dt.date, dt.date, SurveyPeriod | None]:
    periods = list(SurveyPeriod.objects.for_unit(unit).started().select_related("unit"))
    form = PeriodForm(request.GET or None, periods=periods)
    start, end, period = form.scope(default=results_scope(unit))
    return form, start, end, period


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def skm(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _skm_unit(request, unit_slug)
    period_form, start, end, period = _skm_scope(request, unit)
    may_write = can(request.user, "report.follow_up", unit)
    report = skm_report(unit=unit, start=start, end=end, period=period)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        form = FollowUpForm(request.POST)
        if form.is_valid():
            from .skm import follow_up_save

            follow_up_save(
                unit=unit, start=start, end=end, text=form.cleaned_data["text"], by=request.user
            )
            messages.success(request, _("The follow-up plan is saved."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    else:
        form = FollowUpForm(initial={"text": report.follow_up.text if report.follow_up else ""})
    query = request.GET.urlencode()
    return render(
        request,
        "reports/skm.html",
        {
            **staff_context(request, "reports"),
            "unit": unit,
            "report": report,
            "period_form": period_form,
            "form": form,
            "may_write": may_write,
            "running_period": current_period(unit),
            "periods": _skm_periods(unit, period_form.periods.values(), period),
            "pdf_url": f"{reverse('reports:skm_pdf', args=[unit.slug])}?{query}",
            "xlsx_url": f"{reverse('reports:skm_xlsx', args=[unit.slug])}?{query}",
            "chart": bar_chart(
                _("NRR per element (1–4)"),
                [(str(e.element.name), float(e.nrr_display)) for e in report.ikm.elements],
                maximum=4,
            ),
        },
    )


@staff_required
@require_safe
def skm_pdf(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _skm_unit(request, unit_slug)
    _form, start, end, period = _skm_scope(request, unit)
    report = skm_report(unit=unit, start=start, end=end, period=period)
    return _download(
        exports.skm_pdf(report), "application/pdf", exports.skm_filename(report, "pdf")
    )


@staff_required
@require_safe
def skm_xlsx(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _skm_unit(request, unit_slug)
    _form, start, end, period = _skm_scope(request, unit)
    report = skm_report(unit=unit, start=start, end=end, period=period)
    return _download(exports.skm_xlsx(report), XLSX, exports.skm_filename(report, "xlsx"))
