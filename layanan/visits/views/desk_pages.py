"""The front desk (staff): the units' desks, today's queue with its call / serve / route /
finish / no-show forms, the survey card of a finished visit and the register form with its
phone lookup (see :mod:`layanan.visits.views`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import OPEN_STATUSES, Channel
from layanan.cases.views import staff_context, staff_required
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import Unit
from layanan.visits.forms import CallForm, FinishForm, RouteForm, VisitForm
from layanan.visits.selectors import desk_queue, visit_for_staff
from layanan.visits.services import (
    visit_call,
    visit_finish,
    visit_no_show,
    visit_route,
    visit_serve,
    visitor_find,
    walk_in_services,
)

from .shared import desk_unit, register_visit, service_context

DESK_SESSION_KEY = "visits_desk"


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60) if delta is not None else 0


@staff_required
@require_safe
def desk_home(request: HttpRequest) -> HttpResponse:
    """``/staf/tamu/``: straight to the user's desk, or a choice when they have several."""
    units = list(
        visible_units(request.user, "case.work")
        .filter(standards__published_version__isnull=False)
        .distinct()
        .order_by("path")
    )
    if len(units) == 1:
        return redirect("visits:desk", unit_slug=units[0].slug)
    return render(
        request,
        "visits/desk_home.html",
        {"units": units, **staff_context(request, "visits")},
    )


def _desk_rows(request, unit: Unit, now) -> list[dict]:
    rows = []
    for visit in desk_queue(unit):
        case = visit.case
        spent = visit.admin_time(now)
        rows.append(
            {
                "visit": visit,
                "case": case,
                "open": case.status in OPEN_STATUSES,
                "waiting": visit.served_at is None and case.status in OPEN_STATUSES,
                "admin_minutes": _minutes(spent) if spent is not None else None,
                "over": visit.admin_time_exceeded(now),
                "limit_minutes": _minutes(visit.admin_limit()),
                "may_route": can(request.user, "visit.route", case),
                "may_finish": can(request.user, "visit.finish", case),
            }
        )
    return rows


def _desk_page(request, unit: Unit, *, error=None, status=200) -> HttpResponse:
    now = timezone.now()
    rows = _desk_rows(request, unit, now)
    groups: dict[str, list] = {}
    for row in rows:
        visit = row["visit"]
        label = visit.service.name if visit.service_id else _("Other purpose (guest book)")
        groups.setdefault(label, []).append(row)
    desk = request.session.get(DESK_SESSION_KEY, "")
    response = render(
        request,
        "visits/desk.html",
        {
            "unit": unit,
            "groups": groups,
            "now": now,
            "desk": desk,
            "route_form": RouteForm(unit=unit),
            "error": error,
            "waiting_count": sum(1 for r in rows if r["waiting"]),
            "over_count": sum(1 for r in rows if r["waiting"] and r["over"]),
            "may_register": can(request.user, "case.create", unit),
            **staff_context(request, "visits"),
        },
        status=status,
    )
    return response


@staff_required
@require_safe
def desk(request: HttpRequest, unit_slug: str) -> HttpResponse:
    return _desk_page(request, desk_unit(request, unit_slug))


def _desk_call(request: HttpRequest, case) -> str:
    form = CallForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Say which desk calls the guest."), "desk_required")
    visit_call(actor=request.user, case=case, desk=form.cleaned_data["desk"])
    request.session[DESK_SESSION_KEY] = form.cleaned_data["desk"]
    return _("%(ticket)s called to %(desk)s.")


def _desk_serve(request: HttpRequest, case) -> str:
    visit_serve(actor=request.user, case=case, desk=request.session.get(DESK_SESSION_KEY, ""))
    return _("Serving %(ticket)s.")


def _desk_route(request: HttpRequest, case) -> str:
    form = RouteForm(request.POST, unit=case.unit)
    if not form.is_valid():
        raise ApplicationError(_("Choose the division to route to."), "division_required")
    visit_route(
        actor=request.user,
        case=case,
        division=form.cleaned_data["division"],
        note=form.cleaned_data["note"],
    )
    return _("%(ticket)s routed.")


def _desk_finish(request: HttpRequest, case) -> str:
    form = FinishForm(request.POST)
    if not form.is_valid():  # empty, or longer than the field takes: the form says which
        raise ApplicationError(" ".join(form.errors["outcome"]), "outcome_invalid")
    visit_finish(actor=request.user, case=case, outcome=form.cleaned_data["outcome"])
    return _("%(ticket)s finished.")


def _desk_no_show(request: HttpRequest, case) -> str:
    visit_no_show(actor=request.user, case=case)
    return _("%(ticket)s marked as not present.")


#: The desk's steps: each takes the POST, calls its service and says what happened (a message
#: with the ``ticket`` and ``desk`` placeholders); a refusal is an ApplicationError.
DESK_STEPS = {
    "call": _desk_call,
    "serve": _desk_serve,
    "route": _desk_route,
    "finish": _desk_finish,
    "no_show": _desk_no_show,
}


@staff_required
@require_POST
def desk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST per action; on an error the desk page comes back with the message, the typed
    text kept in the visit's form, and the error's status."""
    visit = visit_for_staff(request.user, pk)
    if visit is None:
        raise Http404
    case = visit.case
    desk_unit = case.assigned_unit if request.POST.get("from") == "division" else case.unit
    desk_unit = desk_unit or case.unit
    step = DESK_STEPS.get(action)
    if step is None:
        raise Http404
    try:
        message = step(request, case)
    except ApplicationError as exc:
        if isinstance(exc, NotPermitted) and not can(request.user, "case.view", case):
            raise Http404 from None
        error = {"pk": visit.pk, "action": action, "message": exc.message, "data": request.POST}
        return _desk_page(request, desk_unit, error=error, status=exc.status_code)
    from django.contrib import messages

    visit.refresh_from_db(fields=["desk"])
    messages.success(request, message % {"ticket": visit.ticket, "desk": visit.desk})
    if action == "finish":  # the end-of-service screen with the survey's QR code
        return redirect(reverse("visits:survey_card", args=[visit.pk]) + f"?desk={desk_unit.slug}")
    return redirect(reverse("visits:desk", args=[desk_unit.slug]) + f"#v{visit.pk}")


def _survey_link(case) -> tuple[str, str]:
    """(address, inline SVG QR code) of the visit's survey invitation."""
    from layanan.complaints.public_views import qr_svg_inline
    from layanan.surveys.services import survey_invitation_for_visit, survey_invitation_url

    url = survey_invitation_url(survey_invitation_for_visit(case))
    return url, qr_svg_inline(url)


@staff_required
@require_safe
def survey_card(request: HttpRequest, pk: int) -> HttpResponse:
    """``/staf/tamu/kunjungan/<pk>/survei/``: the visit's survey card, to turn towards the guest
    (or print): while the visit is open, the ticket number with the QR code of its survey
    invitation (a guest registered at the desk gets the same ticket as at the kiosk); once it
    ended, the end-of-service screen — thanks and the same QR code. Shows no name, and no
    tracking code (the public ticket page's address holds one)."""
    visit = visit_for_staff(request.user, pk)
    if visit is None:
        raise Http404
    case = visit.case
    url, qr = _survey_link(case)
    back = request.GET.get("desk", "")
    if not Unit.objects.filter(slug=back).exists():
        back = case.unit.slug
    answered = hasattr(case, "survey_response")  # the reverse one-to-one, when it exists
    return render(
        request,
        "visits/survey_card.html",
        {
            "visit": visit,
            "open": case.status in OPEN_STATUSES,
            "unit": case.unit,
            "survey_url": url,
            "qr_svg": qr,
            "answered": answered,
            "back_url": reverse("visits:desk", args=[back]),
            **staff_context(request, "visits"),
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_register(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """Register a guest at the desk. "Find" looks the phone number up and fills in a returning
    visitor's name and origin (only for this unit's visitors)."""
    unit = desk_unit(request, unit_slug)
    if not can(request.user, "case.create", unit):
        raise Http404
    services = walk_in_services(unit)
    url = reverse("visits:register", args=[unit.slug])
    context = {
        **service_context(unit, services, url, request.GET.get("layanan")),
        **staff_context(request, "visits"),
    }
    standard = context["standard"]
    if not context["chosen"]:
        return render(request, "visits/register.html", context)
    status = 200
    returning = None
    if request.method == "POST" and "lookup" in request.POST:
        returning = visitor_find(unit, request.POST.get("phone", ""))
        data = request.POST.copy()
        if returning is not None:
            data["name"] = data.get("name") or returning.name
            data["origin"] = data.get("origin") or returning.origin
        form = VisitForm(initial=data.dict(), standard=standard)
        form.initial["requirements"] = request.POST.getlist("requirements")
        context["looked_up"] = True
    elif request.method == "POST":
        form = VisitForm(request.POST, standard=standard)
        case, status = register_visit(
            form, unit=unit, standard=standard, actor=request.user, channel=Channel.FACE_TO_FACE
        )
        if case is not None:
            from django.contrib import messages

            messages.success(
                request,
                _("Registered: ticket %(ticket)s (%(number)s).")
                % {"ticket": case.visit.ticket, "number": case.number},
            )
            return redirect("visits:desk", unit_slug=unit.slug)
    else:
        form = VisitForm(standard=standard)
    if returning is not None:
        context["visits_before"] = returning.visits.count()
    context.update({"form": form, "returning": returning})
    return render(request, "visits/register.html", context, status=status)
