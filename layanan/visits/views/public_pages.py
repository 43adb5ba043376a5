"""The public pages of a unit's guest service, without login: the self-service kiosk (rate
limited per client address), the ticket just drawn and the TV display (ticket numbers and
desks only, never a name). None is cached or indexed.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Channel
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.cases.public_pages import private_response, too_many_response
from layanan.core.models import Unit
from layanan.core.ratelimit import RateLimit
from layanan.core.scoping import public_surface
from layanan.surveys.models import SurveyInvitation
from layanan.visits.forms import VisitForm
from layanan.visits.models import VisitDetail
from layanan.visits.selectors import display_board
from layanan.visits.services import walk_in_services

from .shared import register_visit, service_context

KIOSK_RATE = RateLimit("visit_kiosk", "VISIT_KIOSK_RATE", (60, 60 * 60))
DISPLAY_REFRESH_SECONDS = 10
KIOSK_RESET_SECONDS = 30

# --- public: kiosk, ticket, display ----------------------------------------------------------


def _public_unit(unit_slug: str) -> Unit:
    unit = get_object_or_404(Unit, slug=unit_slug)
    return unit


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the unit's guest kiosk registers a visit; it reads no other case")
def kiosk(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _public_unit(unit_slug)
    services = walk_in_services(unit)
    if not services:
        raise Http404
    url = reverse("visits:kiosk", args=[unit.slug])
    context = {**service_context(unit, services, url, request.GET.get("layanan")), "start_url": url}
    standard = context["standard"]
    if not context["chosen"]:
        return private_response(render(request, "visits/kiosk.html", context))
    status = 200
    if request.method == "POST":
        retry_after = KIOSK_RATE.hit(request)
        if retry_after:
            return too_many_response(request, retry_after)
        form = VisitForm(request.POST, standard=standard)
        case, status = register_visit(
            form, unit=unit, standard=standard, actor=PUBLIC, channel=Channel.KIOSK
        )
        if case is not None:
            return redirect(
                "visits:ticket", unit_slug=unit.slug, code=format_public_code(case.public_code)
            )
    else:
        form = VisitForm(standard=standard)
    context["form"] = form
    return private_response(render(request, "visits/kiosk.html", context, status=status))


@require_safe
def ticket(request: HttpRequest, unit_slug: str, code: str) -> HttpResponse:
    """The ticket just drawn: number, service, how many are ahead. No name."""
    unit = _public_unit(unit_slug)
    visit = (
        VisitDetail.objects.filter(case__unit=unit, case__public_code=normalise_public_code(code))
        .select_related("service", "case")
        .first()
    )
    if visit is None:
        raise Http404
    survey = SurveyInvitation.objects.filter(case_id=visit.case_id).only("token").first()
    survey_url = survey_qr = ""
    if survey is not None:
        from layanan.complaints.public_views import qr_svg_inline
        from layanan.surveys.services import survey_invitation_url

        survey_url = survey_invitation_url(survey)
        survey_qr = qr_svg_inline(survey_url)
    ahead = VisitDetail.objects.filter(
        case__unit=unit,
        queue_day=visit.queue_day,
        service=visit.service,
        called_at__isnull=True,
        finished_at__isnull=True,
        queue_number__lt=visit.queue_number,
    ).count()
    response = render(
        request,
        "visits/ticket.html",
        {
            "unit": unit,
            "visit": visit,
            "ahead": ahead,
            "start_url": reverse("visits:kiosk", args=[unit.slug]),
            "display_url": reverse("visits:display", args=[unit.slug]),
            "reset_seconds": KIOSK_RESET_SECONDS,
            "survey_url": survey_url,
            "survey_qr": survey_qr,
        },
    )
    return private_response(response)


@require_safe
def display(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _public_unit(unit_slug)
    board = display_board(unit)
    response = render(
        request,
        "visits/display.html",
        {
            "unit": unit,
            "now": timezone.now(),
            "refresh": DISPLAY_REFRESH_SECONDS,
            "current": board["calling"][0] if board["calling"] else None,
            **board,
        },
    )
    return private_response(response)
