"""Staff pages of facility requests: the list, a request with its decisions, the week calendar.

Login and a staff role are required (``cases.views.staff_required``); everything is scoped to
the units the user may see (``case.view``): a request of another unit answers 404, as one that
does not exist. Decisions are plain POST forms (no JavaScript); a refused decision comes back
with the typed text and the service's message, with its status code (400/403/409).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can, visible_units
from layanan.cases.attachments import private_file_response
from layanan.cases.numbering import format_public_code
from layanan.cases.timeline import staff_timeline
from layanan.cases.views import staff_context, staff_required
from layanan.core.errors import ApplicationError
from layanan.intake.record_page import RecordPage, record_request
from layanan.intake.recording import record_initial

from .formatting import format_range
from .forms import BookingFilterForm, DecisionForm, FacilityRecordForm
from .models import BookingDetail, BookingState, Resource
from .public_views import ERROR_FIELDS
from .selectors import (
    LIST_PAGE_SIZE,
    booking_for_staff,
    bookings_for,
    parse_week,
    resources_for,
    week_calendar,
    week_label,
)
from .services import (
    booking_approve,
    booking_cancel,
    booking_record_use,
    booking_refuse,
    booking_request_create,
    outside_office_hours,
)


def _ctx(request) -> dict:
    return {
        **staff_context(request, "facilities"),
        "may_record_facility": _record_resources(request.user).exists(),
    }


def booking_url(booking: BookingDetail) -> str:
    return reverse("bookings:detail", args=[booking.case.number])


@staff_required
@require_safe
def booking_list(request: HttpRequest) -> HttpResponse:
    resources = resources_for(request.user)
    form = BookingFilterForm(request.GET or None, resources=resources)
    filters = form.cleaned_data if form.is_valid() else {}
    resource = filters.get("resource")
    qs = bookings_for(
        request.user,
        state=filters.get("state") or "",
        resource_id=resource.pk if resource else None,
        upcoming=bool(filters.get("upcoming")),
    )
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"booking": b, "url": booking_url(b), "when": format_range(b.starts_at, b.ends_at)}
        for b in page.object_list
    ]
    return render(
        request,
        "facilities/list.html",
        {"form": form, "page": page, "rows": rows, **_ctx(request)},
    )


def _record_use(used: bool):
    def action(*, actor, case, note=""):
        return booking_record_use(actor=actor, case=case, used=used, note=note)

    return action


ACTIONS = {
    "approve": booking_approve,
    "refuse": booking_refuse,
    "cancel": booking_cancel,
    "used": _record_use(True),
    "not_used": _record_use(False),
}
#: Actions whose text is a note (the others': a reason).
NOTE_ACTIONS = ("approve", "used", "not_used")
DONE = {
    "approve": gettext_lazy("The request %(number)s was approved and its notice issued."),
    "refuse": gettext_lazy("The request %(number)s was refused and its notice issued."),
    "cancel": gettext_lazy("The booking %(number)s was cancelled."),
    "used": gettext_lazy("The booking %(number)s was closed as used."),
    "not_used": gettext_lazy("The booking %(number)s was closed as not used."),
}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_detail(request: HttpRequest, ref: str) -> HttpResponse:
    booking = booking_for_staff(request.user, ref)
    if booking is None:
        raise Http404
    forms = {
        "approve": DecisionForm(prefix="approve"),
        "refuse": DecisionForm(prefix="refuse", require_text=True),
        "cancel": DecisionForm(prefix="cancel"),
        "used": DecisionForm(prefix="used"),
        "not_used": DecisionForm(prefix="not_used"),
    }
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            error, status = _("Unknown action."), 400
        else:
            form = DecisionForm(request.POST, prefix=action, require_text=action == "refuse")
            forms[action] = form
            if form.is_valid():
                text = form.cleaned_data["text"]
                kwargs = {"note": text} if action in NOTE_ACTIONS else {"reason": text}
                try:
                    ACTIONS[action](actor=request.user, case=booking.case, **kwargs)
                except ApplicationError as exc:
                    error, status = exc.message, exc.status_code
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, DONE[action] % {"number": booking.case.number})
                    return redirect(booking_url(booking))
            else:
                status = 400
            booking = booking_for_staff(request.user, ref)
    case = booking.case
    pending = booking.state == BookingState.REQUESTED
    active = booking.state in (BookingState.REQUESTED, BookingState.APPROVED)
    context = {
        "booking": booking,
        "case": case,
        "when": format_range(booking.starts_at, booking.ends_at),
        "code": format_public_code(case.public_code),
        "events": staff_timeline(case),
        "forms": forms,
        "error": error,
        "may_decide": pending and can(request.user, "case.verify", case),
        "may_cancel": active
        and can(request.user, "case.work", case)
        and (pending or can(request.user, "case.close", case)),
        "may_record_use": booking.state == BookingState.APPROVED
        and booking.starts_at <= timezone.now()
        and can(request.user, "case.close", case),
        "notice": getattr(booking, "notice", None),
        # Nobody will be messaged: no e-mail address, and WhatsApp is off on this server.
        "tell_by_phone": not case.requester_email and not settings.WHATSAPP_ENABLED,
        "letter_scans": [a for a in case.attachments.all() if not a.is_internal],
        "outside_hours": outside_office_hours(
            resource=booking.resource, starts_at=booking.starts_at, ends_at=booking.ends_at
        ),
        "calendar_url": _calendar_url(booking.starts_at, booking.resource_id),
        **_ctx(request),
    }
    return render(request, "facilities/detail.html", context, status=status)


def _calendar_url(moment: dt.datetime, resource_id: int | None = None) -> str:
    monday = timezone.localtime(moment).date()
    url = reverse("bookings:calendar") + f"?week={week_label(monday)}"
    return url + (f"&resource={resource_id}" if resource_id else "")


@staff_required
@require_safe
def booking_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    monday = parse_week(request.GET.get("week"), today)
    resources = list(resources_for(request.user))
    resource_id = None
    raw = request.GET.get("resource", "")
    if raw.isdigit() and any(r.pk == int(raw) for r in resources):
        resource_id = int(raw)
    elif raw:
        raise Http404  # not a resource this user may see
    rows = week_calendar(request.user, monday, resource_id=resource_id)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    query = f"&resource={resource_id}" if resource_id else ""
    return render(
        request,
        "facilities/calendar.html",
        {
            "rows": rows,
            "days": days,
            "today": today,
            "week": week_label(monday),
            "monday": monday,
            "sunday": days[-1],
            "prev_url": f"?week={week_label(monday - dt.timedelta(days=7))}{query}",
            "next_url": f"?week={week_label(monday + dt.timedelta(days=7))}{query}",
            "this_url": f"?week={week_label(today)}{query}",
            "resources": resources,
            "resource_id": resource_id,
            "resource": next((r for r in resources if r.pk == resource_id), None),
            **_ctx(request),
        },
    )


@staff_required
@require_safe
def notice_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """The decision notice as issued, to staff who may see the case (404 otherwise, and before
    a decision)."""
    booking = booking_for_staff(request.user, ref)
    notice = getattr(booking, "notice", None) if booking is not None else None
    if notice is None:
        raise Http404
    return private_file_response(notice)


_RECORD_PAGE = RecordPage(
    form_class=FacilityRecordForm,
    template="facilities/record.html",
    detail_url="bookings:detail",
    recorded=gettext_lazy("The facility request %(number)s was recorded."),
    error_fields=ERROR_FIELDS,
    letter_field="letter",
)


def _record_resources(user):
    """Active resources of the units where ``user`` may record cases."""
    return (
        Resource.objects.filter(unit__in=visible_units(user, "case.create"), is_active=True)
        .select_related("unit")
        .order_by("unit__path", "kind", "name")
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_record(request: HttpRequest) -> HttpResponse:
    """``/staf/fasilitas/catat/``: record a request that arrived as a paper letter (its number,
    date and scan) or by another channel, through the same service as the public form."""
    resources = _record_resources(request.user)
    if not resources.exists():
        raise Http404
    return record_request(
        request,
        _RECORD_PAGE,
        create=booking_request_create,
        request_kwargs=lambda form: form.request_kwargs(),
        initial=lambda message: record_initial(message, text_field="purpose"),
        form_kwargs={"resources": resources},
        context=_ctx(request),
    )
