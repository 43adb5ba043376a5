"""Public pages of the satisfaction survey. No login, no JavaScript; plain forms with
POST-redirect-GET.

- ``/survei/<token>/``: the questionnaire of one closed case (the link from
  ``survey_invite_for_case``); answered once, then the link is spent.
- ``/survei/kiosk/<unit>/``: the open questionnaire, on a visitor's phone or (``?tablet=1``,
  whose thank-you page returns to an empty form by itself) the office's tablet; big targets;
  submissions are rate-limited per client address (settings.SURVEY_KIOSK_RATE, default 30
  per 10 minutes — a busy front desk stays well below, a script filling the box does not).
- ``/survei/hasil/``: the IKM of every unit for the survey period running today (or the one
  chosen), else for the last 12 months — the rule of ``scope.py``, stated on the page.

Pages never show who answered; the invitation page shows only the unit and the service.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from layanan.cases.public_pages import private_response
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.core.ratelimit import RateLimit
from layanan.core.scoping import public_surface

from .forms import KioskForm, SurveyForm
from .ikm import BANDS, ikm_by_unit
from .models import ResponseChannel, SurveyInvitation, SurveyPeriod
from .scope import results_scope, scope_of_period
from .services import survey_answer_invitation, survey_response_create, survey_visit_waiting

KIOSK_RATE_DEFAULT = (30, 10 * 60)  # submissions, seconds
KIOSK_RETURN_SECONDS = 8  # the thank-you page returns to an empty form after this


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return private_response(response)


# --- rate limit ----------------------------------------------------------------------------------


KIOSK_RATE = RateLimit("survey_kiosk", "SURVEY_KIOSK_RATE", KIOSK_RATE_DEFAULT)


# --- the invitation (a case's link) ---------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        SurveyInvitation.objects.select_related("case__unit", "case__standard")
        .only(
            "token",
            "expires_at",
            "used_at",
            "case__id",
            "case__kind",
            "case__status",
            "case__unit__name",
            "case__unit__short_name",
            "case__standard__name",
        )  # fmt: skip  -- the requester's identity is not even loaded
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404
    case = invitation.case
    context = {"unit": case.unit, "service": case.standard}
    if invitation.used_at is not None:
        return private_response(
            render(request, "surveys/closed.html", {**context, "reason": "used"})
        )
    if invitation.is_expired:
        return private_response(
            render(request, "surveys/closed.html", {**context, "reason": "expired"}, status=410)
        )
    if survey_visit_waiting(case):  # a walk-in guest scanned the ticket before being served
        status = 409 if request.method == "POST" else 200
        return private_response(
            render(request, "surveys/closed.html", {**context, "reason": "waiting"}, status=status)
        )
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                survey_answer_invitation(
                    invitation=invitation, answers=form.answers(), profile=form.profile()
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                return _see_other(reverse("surveys:thanks"))
        else:
            status = 400
    else:
        form = SurveyForm()
    context |= {"form": form, "action": request.path}
    return private_response(render(request, "surveys/form.html", context, status=status))


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return private_response(render(request, "surveys/thanks.html", {}))


# --- the kiosk -----------------------------------------------------------------------------------


def _tablet(request: HttpRequest) -> bool:
    """The office's own tablet (``?tablet=1``): its thank-you page returns to an empty form."""
    return request.GET.get("tablet") == "1"


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=unit_slug)
    status = 200
    if request.method == "POST":
        retry_after = KIOSK_RATE.exceeded(request)
        if retry_after:
            response = render(
                request,
                "surveys/rate_limited.html",
                {"unit": unit, "minutes": max(1, -(-retry_after // 60))},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return private_response(response)
        form = KioskForm(request.POST, unit=unit)
        if form.is_valid():
            try:
                survey_response_create(
                    unit=unit,
                    service=form.cleaned_data.get("service"),
                    answers=form.answers(),
                    profile=form.profile(),
                    channel=ResponseChannel.KIOSK,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                KIOSK_RATE.hit(request)
                thanks_url = reverse("surveys:kiosk_thanks", args=[unit.slug])
                return _see_other(thanks_url + ("?tablet=1" if _tablet(request) else ""))
        else:
            status = 400
    else:
        form = KioskForm(unit=unit)
    context = {
        "form": form,
        "unit": unit,
        "kiosk": True,
        "service_field": form["service"] if "service" in form.fields else None,
        "action": request.path + ("?tablet=1" if _tablet(request) else ""),
    }
    return private_response(render(request, "surveys/form.html", context, status=status))


@require_safe
def kiosk_thanks(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=unit_slug)
    tablet = _tablet(request)
    context = {
        "unit": unit,
        "kiosk": True,
        "again_url": reverse("surveys:kiosk", args=[unit.slug]) + ("?tablet=1" if tablet else ""),
        # Only the office's tablet returns by itself: a visitor on their own phone is not
        # hurried off the page (WCAG 2.2.1, no timed refresh).
        "return_seconds": KIOSK_RETURN_SECONDS if tablet else None,
    }
    return private_response(render(request, "surveys/thanks.html", context))


# --- results -------------------------------------------------------------------------------------


@require_safe
@public_surface("published survey results of every unit: aggregates only")
def results(request: HttpRequest) -> HttpResponse:
    """IKM per unit: for the period asked for (``?periode=<slug>``, any that has started), else
    for the office-wide period running today, else for the last 12 months (``scope.py``)."""
    periods = list(SurveyPeriod.objects.started().select_related("unit").order_by("-start", "pk"))
    wanted = request.GET.get("periode")
    if wanted:
        period = next((p for p in periods if p.slug == wanted), None)
        if period is None:
            raise Http404
        scope = scope_of_period(period)
    else:
        scope = results_scope()
    period = scope.period
    within = period.unit if period is not None else None
    rows = []
    results_ = ikm_by_unit(start=scope.start, end=scope.end, within=within)
    top_depth = min((r.unit.path.count("/") for r in results_), default=0)
    for result in results_:
        population = scope.population_for(result.unit)
        if population is not None:
            result = dataclasses.replace(result, population=population)
        rows.append({"result": result, "depth": result.unit.path.count("/") - top_depth})
    context = {
        "periods": periods,
        "period": period,
        "scope": scope,
        "rows": rows,
        "bands": BANDS,
        "today": timezone.localdate(),
    }
    response = render(request, "surveys/results.html", context)
    patch_cache_control(response, public=True, max_age=300)
    return response
