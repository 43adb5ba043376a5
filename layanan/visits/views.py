"""Pages of the front desk (staff), the self-service kiosk and the TV display (public).

- Desk ``/staf/tamu/<unit>/``: today's queue per service with call / serve / route / finish /
  no-show forms (plain POSTs, redirect after success); the waiting time runs live (a static
  script ticks the clocks and reloads the page every 30 s unless a form is being filled in;
  without JavaScript the times are those of the last load). Register ``/staf/tamu/<unit>/daftar/``
  with a phone lookup that fills in a returning visitor.
- Kiosk ``/tamu/<unit>/``: public, no login, big buttons: choose the service, fill in the form,
  get the ticket. Registrations are rate-limited per client address (``VISIT_KIOSK_RATE``).
- Display ``/tamu/<unit>/layar/``: public, refreshes itself (``<meta http-equiv=refresh>``),
  shows ticket numbers and desks only, never a name.

A unit or visit outside the user's reach answers 404, as one that does not exist. Domain errors
come back on the page with what was typed kept and the error's status (400/403/409).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import OPEN_STATUSES, Case, Channel
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.cases.views import staff_context, staff_required
from layanan.complaints.public_views import RateLimit, _too_many
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import Unit
from layanan.core.scoping import public_surface
from layanan.surveys.models import SurveyInvitation

from .forms import CallForm, FinishForm, RouteForm, VisitForm
from .models import VisitDetail
from .selectors import desk_queue, display_board, visit_for_staff
from .services import (
    GENERAL_PREFIX,
    visit_call,
    visit_finish,
    visit_no_show,
    visit_register,
    visit_route,
    visit_serve,
    visitor_find,
    walk_in_services,
)

KIOSK_RATE = RateLimit("visit_kiosk", "VISIT_KIOSK_RATE", (60, 60 * 60))
DISPLAY_REFRESH_SECONDS = 10
KIOSK_RESET_SECONDS = 30
GENERAL = "umum"  # the ?layanan= value of a visit without a service
DESK_SESSION_KEY = "visits_desk"


# --- helpers ---------------------------------------------------------------------------------


def _chosen_service(unit: Unit, services, slug: str | None):
    """(chosen, standard): chosen False when nothing (valid) was chosen yet."""
    if slug == GENERAL:
        return True, None
    for standard in services:
        if standard.slug == slug:
            return True, standard
    return False, None


def _service_choices(unit: Unit, services, url: str) -> list[dict]:
    from .services import ticket_prefix

    choices = [
        {
            "name": s.name,
            "letter": ticket_prefix(s, services),
            "url": f"{url}?layanan={s.slug}",
            "requirements": s.published_version.requirements,
        }
        for s in services
    ]
    choices.append(
        {
            "name": _("Other purpose (guest book)"),
            "letter": GENERAL_PREFIX,
            "url": f"{url}?layanan={GENERAL}",
            "requirements": [],
        }
    )
    return choices


def _register(request, *, unit, standard, form, actor, channel) -> Case:
    data = form.cleaned_data
    return visit_register(
        actor=actor,
        unit=unit,
        standard=standard,
        name=data["name"],
        phone=data["phone"],
        origin=data.get("origin", ""),
        purpose=data.get("purpose", ""),
        requirements=data.get("requirements") or [],
        channel=channel,
        email=data.get("email", ""),
    )


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60) if delta is not None else 0


# --- staff: desk -----------------------------------------------------------------------------


def _desk_unit(request: HttpRequest, unit_slug: str) -> Unit:
    unit = Unit.objects.filter(slug=unit_slug).first()
    if unit is None or not can(request.user, "case.view", unit):
        raise Http404
    return unit


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
    return _desk_page(request, _desk_unit(request, unit_slug))


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
    unit = _desk_unit(request, unit_slug)
    if not can(request.user, "case.create", unit):
        raise Http404
    services = walk_in_services(unit)
    url = reverse("visits:register", args=[unit.slug])
    chosen, standard = _chosen_service(unit, services, request.GET.get("layanan"))
    context = {
        "unit": unit,
        "services": _service_choices(unit, services, url),
        "chosen": chosen,
        "standard": standard,
        **staff_context(request, "visits"),
    }
    if not chosen:
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
        if form.is_valid():
            try:
                case = _register(
                    request,
                    unit=unit,
                    standard=standard,
                    form=form,
                    actor=request.user,
                    channel=Channel.FACE_TO_FACE,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                from django.contrib import messages

                messages.success(
                    request,
                    _("Registered: ticket %(ticket)s (%(number)s).")
                    % {"ticket": case.visit.ticket, "number": case.number},
                )
                return redirect("visits:desk", unit_slug=unit.slug)
        else:
            status = 400
    else:
        form = VisitForm(standard=standard)
    if returning is not None:
        context["visits_before"] = returning.visits.count()
    context.update({"form": form, "returning": returning})
    return render(request, "visits/register.html", context, status=status)


# --- public: kiosk, ticket, display ----------------------------------------------------------


def _public_unit(unit_slug: str) -> Unit:
    unit = get_object_or_404(Unit, slug=unit_slug)
    return unit


def _kiosk_headers(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the unit's guest kiosk registers a visit; it reads no other case")
def kiosk(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _public_unit(unit_slug)
    services = walk_in_services(unit)
    if not services:
        raise Http404
    url = reverse("visits:kiosk", args=[unit.slug])
    chosen, standard = _chosen_service(unit, services, request.GET.get("layanan"))
    context = {
        "unit": unit,
        "services": _service_choices(unit, services, url),
        "chosen": chosen,
        "standard": standard,
        "start_url": url,
    }
    if not chosen:
        return _kiosk_headers(render(request, "visits/kiosk.html", context))
    status = 200
    if request.method == "POST":
        retry_after = KIOSK_RATE.hit(request)
        if retry_after:
            return _too_many(request, retry_after)
        form = VisitForm(request.POST, standard=standard)
        if form.is_valid():
            try:
                case = _register(
                    request,
                    unit=unit,
                    standard=standard,
                    form=form,
                    actor=PUBLIC,
                    channel=Channel.KIOSK,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                return redirect(
                    "visits:ticket",
                    unit_slug=unit.slug,
                    code=format_public_code(case.public_code),
                )
        else:
            status = 400
    else:
        form = VisitForm(standard=standard)
    context["form"] = form
    return _kiosk_headers(render(request, "visits/kiosk.html", context, status=status))


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
    return _kiosk_headers(response)


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
    return _kiosk_headers(response)


# --- staff: the guest book (buku tamu) ---------------------------------------------------------

REGISTER_PAGE_SIZE = 50


def _register_query(request: HttpRequest, unit: Unit):
    """(form, filters, queryset, labels of the active filters) for the guest book's GET."""
    from .forms import RegisterFilterForm
    from .selectors import register_visits

    services = walk_in_services(unit)
    form = RegisterFilterForm(
        request.GET or None, unit=unit, services=services, today=timezone.localdate()
    )
    filters = form.filters()
    signature = bool(form.is_bound and form.is_valid() and form.cleaned_data.get("ttd"))
    labels = []
    if filters.get("service"):
        labels.append(dict(form.fields["layanan"].choices).get(filters["service"], ""))
    if filters.get("division") is not None:
        labels.append(filters["division"].name)
    if filters.get("state"):
        labels.append(str(dict(form.fields["status"].choices)[filters["state"]]))
    return form, filters, register_visits(unit, **filters), labels, signature


@staff_required
@require_safe
def guest_book(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """``/staf/tamu/<unit>/buku-tamu/``: the register of visits for a range of days (default
    today), filtered, 50 rows a page, numbered across pages, with its PDF and XLSX."""
    from django.core.paginator import Paginator

    from .register import range_label, register_rows

    unit = _desk_unit(request, unit_slug)
    form, filters, visits, labels, _signature = _register_query(request, unit)
    page = Paginator(visits, REGISTER_PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = register_rows(request.user, page.object_list, first_number=page.start_index())
    query = request.GET.copy()
    query.pop("halaman", None)
    today = timezone.localdate()
    return render(
        request,
        "visits/guest_book.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "rows": rows,
            "period": range_label(filters["start"], filters["end"]),
            "filters": labels,
            "query": query.urlencode(),
            "month_url": "?" + f"dari={today.replace(day=1):%Y-%m-%d}&sampai={today:%Y-%m-%d}",
            **staff_context(request, "visits"),
        },
    )


def _guest_book_file(request: HttpRequest, unit_slug: str, ext: str) -> HttpResponse:
    from layanan.core.audit import audit_log
    from layanan.core.models import AuditAction

    from .register import (
        PDF_MAX_ROWS,
        XLSX_MAX_ROWS,
        filename,
        register_pdf,
        register_rows,
        register_xlsx,
    )

    unit = _desk_unit(request, unit_slug)
    _form, filters, visits, labels, signature = _register_query(request, unit)
    limit = PDF_MAX_ROWS if ext == "pdf" else XLSX_MAX_ROWS
    visits = list(visits[: limit + 1])
    if len(visits) > limit:
        return render(
            request,
            "visits/guest_book_too_long.html",
            {
                "unit": unit,
                "limit": limit,
                "back": request.GET.urlencode(),
                **staff_context(request, "visits"),
            },
            status=413,
        )
    rows = register_rows(request.user, visits)
    start, end = filters["start"], filters["end"]
    if ext == "pdf":
        content = register_pdf(
            unit=unit, rows=rows, start=start, end=end, filters=labels, signature=signature
        )
        content_type = "application/pdf"
    else:
        content = register_xlsx(unit=unit, rows=rows, start=start, end=end, filters=labels)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_log(
        actor=request.user,
        action=AuditAction.PERSONAL_DATA_EXPORTED,
        unit=unit,
        data={
            "record": "guest_book",
            "format": ext,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "filters": labels,
            "rows": len(rows),
        },
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(unit, start, end, ext)}"'
    return response


@staff_required
@require_safe
def guest_book_pdf(request: HttpRequest, unit_slug: str) -> HttpResponse:
    return _guest_book_file(request, unit_slug, "pdf")


@staff_required
@require_safe
def guest_book_xlsx(request: HttpRequest, unit_slug: str) -> HttpResponse:
    return _guest_book_file(request, unit_slug, "xlsx")
