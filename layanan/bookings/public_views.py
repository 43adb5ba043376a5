"""The public side of facility requests: the request form and the request's page by code.

No login and no JavaScript. The request's page is keyed by the tracking code only and shows
the facility, the time, the state and the reason of a decision — never who asked, nor staff
names. Submissions and lookups of unknown codes are rate-limited per client address with the
complaints' limiter (same settings).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseKind
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.complaints.public_views import LOOKUP_RATE, SUBMIT_RATE, _private, _too_many
from layanan.core.errors import ApplicationError
from layanan.core.scoping import public_surface
from layanan.workdays.deadlines import format_due

from .forms import FacilityRequestForm
from .models import BookingState
from .services import booking_request_create, format_range, outside_office_hours

#: service error code → the field its message belongs beside
ERROR_FIELDS = {
    "ends_before_start": "ends_at",
    "in_the_past": "starts_at",
    "too_long": "ends_at",
    "too_far_ahead": "starts_at",
    "slot_taken": "starts_at",
    "over_capacity": "participants",
    "purpose_required": "purpose",
    "name_required": "name",
    "contact_required": "email",
    "inactive": "resource",
}


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the public requests a facility of any unit")
def request_form(request: HttpRequest) -> HttpResponse:
    """``/fasilitas/`` (``?sarana=<id>`` preselects a facility)."""
    status = 200
    if request.method == "POST":
        retry_after = SUBMIT_RATE.hit(request)
        if retry_after:
            return _too_many(request, retry_after)
        form = FacilityRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    case = booking_request_create(
                        actor=PUBLIC,
                        resource=data["resource"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        purpose=data["purpose"],
                        participants=data.get("participants"),
                        organisation=data.get("organisation", ""),
                        requester_name=data["name"],
                        requester_email=data.get("email", ""),
                        requester_phone=data.get("phone", ""),
                    )
            except ApplicationError as exc:
                form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
            else:
                url = reverse(
                    "bookings_public:status",
                    kwargs={"code": format_public_code(case.public_code)},
                )
                response = HttpResponseRedirect(url + "?baru=1")
                response.status_code = 303
                return _private(response)
        status = 400
    else:
        initial = {}
        if request.GET.get("sarana", "").isdigit():
            initial["resource"] = int(request.GET["sarana"])
        form = FacilityRequestForm(initial=initial)
    resources = list(form.fields["resource"].queryset)
    response = render(
        request,
        "bookings/public/form.html",
        {"form": form, "resources": resources},
        status=status,
    )
    return _private(response, noindex=False) if status != 200 else response


STATE_WORDS = {
    BookingState.REQUESTED: "pending",
    BookingState.APPROVED: "approved",
    BookingState.REFUSED: "refused",
    BookingState.CANCELLED: "cancelled",
}


@require_safe
@public_surface("found by the tracking code, the secret of its holder")
def request_status(request: HttpRequest, code: str) -> HttpResponse:
    """``/fasilitas/permohonan/<code>/``: the request as its code holder may see it."""
    normal = normalise_public_code(code)
    case = (
        Case.objects.filter(public_code=normal, kind=CaseKind.FACILITY)
        .select_related("unit", "booking", "booking__resource")
        .first()
        if normal
        else None
    )
    if case is None:
        retry_after = LOOKUP_RATE.hit(request)
        if retry_after:
            return _too_many(request, retry_after)
        raise Http404
    pretty = format_public_code(case.public_code)
    if code != pretty:
        query = "?baru=1" if request.GET.get("baru") else ""
        return _private(
            HttpResponseRedirect(reverse("bookings_public:status", kwargs={"code": pretty}) + query)
        )
    booking = case.booking
    context = {
        "case": case,
        "booking": booking,
        "code": pretty,
        "when": format_range(booking.starts_at, booking.ends_at),
        "state": STATE_WORDS[booking.state],
        "just_sent": bool(request.GET.get("baru")),
        "due": format_due(case.due_at) if case.due_at and booking.is_pending else "",
        "outside_hours": booking.is_pending
        and outside_office_hours(
            resource=booking.resource, starts_at=booking.starts_at, ends_at=booking.ends_at
        ),
    }
    return _private(render(request, "bookings/public/status.html", context))
