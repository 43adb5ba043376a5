"""The public side of facility requests: the request form, the request's page by code, and the
facilities' weeks (when each one is free, in use or requested — times only).

No login and no JavaScript. The request's page is keyed by the tracking code only and shows
the facility, the time, the state and the reason of a decision — never who asked, nor staff
names. Submissions and lookups of unknown codes are rate-limited per client address with the
complaints' limiter (same settings).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import private_file_response
from layanan.cases.models import Case, CaseKind
from layanan.cases.public_pages import (
    case_by_code,
    private_response,
    status_page_after_sending,
    too_many_response,
)
from layanan.core.errors import ApplicationError
from layanan.core.ratelimit import PUBLIC_SUBMISSIONS
from layanan.core.scoping import public_surface
from layanan.workdays.deadlines import ZONES, format_due

from .formatting import format_range
from .forms import DATETIME_LOCAL, FacilityRequestForm
from .models import BookingState
from .selectors import (
    PUBLIC_WEEKS_AHEAD,
    Availability,
    facility_contact_units,
    public_resources,
    public_week,
    public_week_bounds,
    week_label,
)
from .services import booking_request_create, outside_office_hours

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
    "letter_required": "letter",
    "future_receipt": "received_at",
}


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the public requests a facility of any unit")
def request_form(request: HttpRequest) -> HttpResponse:
    """``/fasilitas/`` (``?sarana=<id>`` preselects a facility; ``mulai``/``selesai`` as
    ``YYYY-MM-DDTHH:MM`` prefill the time, as the week view's links do)."""
    status = 200
    if request.method == "POST":
        retry_after = PUBLIC_SUBMISSIONS.hit(request)
        if retry_after:
            return too_many_response(request, retry_after)
        form = FacilityRequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    case = booking_request_create(actor=PUBLIC, **form.request_kwargs())
            except ValidationError as exc:  # a file the form's check let through
                form.add_error("letter", exc)
            except ApplicationError as exc:
                form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
            else:
                return status_page_after_sending(case)
        status = 400
    else:
        initial = {}
        if request.GET.get("sarana", "").isdigit():
            initial["resource"] = int(request.GET["sarana"])
        for param, name in (("mulai", "starts_at"), ("selesai", "ends_at")):
            value = request.GET.get(param, "")
            try:
                dt.datetime.strptime(value, DATETIME_LOCAL)
            except ValueError:
                continue
            initial[name] = value
        form = FacilityRequestForm(initial=initial)
    resources = list(form.fields["resource"].queryset)
    response = render(
        request,
        "facilities/public/form.html",
        {
            "form": form,
            "files_dropped": request.method == "POST" and bool(request.FILES),
            "resources": resources,
            "contact_units": [] if resources else facility_contact_units(),
        },
        status=status,
    )
    return private_response(response, noindex=False) if status != 200 else response


STATE_WORDS = {
    BookingState.REQUESTED: "pending",
    BookingState.APPROVED: "approved",
    BookingState.REFUSED: "refused",
    BookingState.CANCELLED: "cancelled",
    BookingState.USED: "used",
    BookingState.NOT_USED: "not_used",
}


#: What the status page and the notice read with the case, in the lookup's one query.
FACILITY_JOINS = ("unit", "booking", "booking__resource", "booking__notice")


@require_safe
@public_surface("found by the tracking code, the secret of its holder")
@case_by_code(kind=CaseKind.FACILITY, related=FACILITY_JOINS, canonical=True)
def request_status(request: HttpRequest, case: Case, code: str) -> HttpResponse:
    """``/fasilitas/permohonan/<code>/``: the request as its code holder may see it."""
    booking = case.booking
    context = {
        "case": case,
        "booking": booking,
        "notice": getattr(booking, "notice", None),
        "code": code,
        "when": format_range(booking.starts_at, booking.ends_at),
        "state": STATE_WORDS[booking.state],
        "just_sent": bool(request.GET.get("baru")),
        "due": format_due(case.due_at) if case.due_at and booking.is_pending else "",
        "outside_hours": booking.is_pending
        and outside_office_hours(
            resource=booking.resource, starts_at=booking.starts_at, ends_at=booking.ends_at
        ),
    }
    return private_response(render(request, "facilities/public/status.html", context))


@require_safe
@public_surface("the decision notice of a request, found by its tracking code")
@case_by_code(kind=CaseKind.FACILITY, related=FACILITY_JOINS)
def request_notice(request: HttpRequest, case: Case, code: str) -> HttpResponse:
    """``/fasilitas/permohonan/<code>/pemberitahuan/``: the notice PDF as issued, to the code's
    holder (the same key and the same rate limit as the request's page); 404 before a
    decision."""
    notice = getattr(case.booking, "notice", None)
    if notice is None:
        raise Http404
    return private_file_response(notice)


# --- the facilities' weeks -----------------------------------------------------------------------

#: What the public reads for each state (msgids in English, Indonesian in the catalogue:
#: tersedia, terpakai, dipesan, sebagian tersedia, kantor tutup, sudah lewat).
AVAILABILITY_WORDS = {
    Availability.FREE: _("free"),
    Availability.BOOKED: _("in use"),
    Availability.PENDING: _("requested"),
    Availability.PARTLY: _("partly free"),
    Availability.CLOSED: _("office closed"),
    Availability.PAST: _("past"),
}


def _clock(moment: dt.datetime, day: dt.date) -> str:
    """``09.30`` in the office's zone; the midnight that ends ``day`` is ``24.00``."""
    if moment.date() > day:
        return "24.00"
    return f"{moment:%H.%M}"


def _week_context(monday: dt.date, today: dt.date) -> dict:
    """The week's days and the plain links to the weeks around it (this week to a year on)."""
    this_monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)

    def link(day: dt.date) -> str:
        return "?" + urlencode({"minggu": week_label(day)})

    return {
        "monday": monday,
        "sunday": sunday,
        "days": [monday + dt.timedelta(days=i) for i in range(7)],
        "today": today,
        "prev_url": link(monday - dt.timedelta(days=7)) if monday > this_monday else "",
        "next_url": (
            link(monday + dt.timedelta(days=7))
            if monday < this_monday + dt.timedelta(weeks=PUBLIC_WEEKS_AHEAD)
            else ""
        ),
        "this_url": link(this_monday) if monday != this_monday else "",
    }


@require_safe
def schedule(request: HttpRequest) -> HttpResponse:
    """``/fasilitas/jadwal/?minggu=2026-W50``: every facility's week, one line each, a day a
    cell (free, partly free, in use, requested, office closed), each day linking to that
    facility's week. Reads no case: no scope is opened."""
    today = timezone.localdate()
    monday = public_week_bounds(request.GET.get("minggu"), today)
    resources = list(public_resources())
    weeks = public_week(resources, monday)
    rows = [
        {
            "resource": week.resource,
            "url": reverse("bookings_public:week", kwargs={"pk": week.resource.pk}),
            "days": [
                {"date": day.date, "summary": day.summary, "word": AVAILABILITY_WORDS[day.summary]}
                for day in week.days
            ],
        }
        for week in weeks
    ]
    context = {
        "rows": rows,
        "week": week_label(monday),
        "words": AVAILABILITY_WORDS,
        "contact_units": [] if resources else facility_contact_units(),
        **_week_context(monday, today),
    }
    return render(request, "facilities/public/schedule.html", context)


@require_safe
def resource_week(request: HttpRequest, pk: int) -> HttpResponse:
    """``/fasilitas/jadwal/<pk>/?minggu=2026-W50``: one facility's week, a day a row, each
    stretch of it free, in use or requested (times only, never who or why); free time links to
    the request form with the facility and the time filled in."""
    resource = get_object_or_404(public_resources(), pk=pk)
    today = timezone.localdate()
    monday = public_week_bounds(request.GET.get("minggu"), today)
    week = public_week([resource], monday)[0]
    form_url = reverse("bookings_public:form")
    days = []
    for day in week.days:
        stretches = []
        for stretch in day.stretches:
            url = ""
            if stretch.state == Availability.FREE:
                url = (
                    form_url
                    + "?"
                    + urlencode(
                        {
                            "sarana": resource.pk,
                            "mulai": timezone.localtime(stretch.start).strftime(DATETIME_LOCAL),
                            "selesai": timezone.localtime(stretch.end).strftime(DATETIME_LOCAL),
                        }
                    )
                )
            stretches.append(
                {
                    "start": _clock(stretch.start, day.date),
                    "end": _clock(stretch.end, day.date),
                    "state": stretch.state,
                    "word": AVAILABILITY_WORDS[stretch.state],
                    "url": url,
                }
            )
        days.append(
            {
                "date": day.date,
                "summary": day.summary,
                "word": AVAILABILITY_WORDS[day.summary],
                "holiday": day.holiday,
                "hours": (
                    f"{day.opens:%H.%M}–{day.closes:%H.%M}" if day.opens and day.closes else ""
                ),
                "stretches": stretches,
            }
        )
    offset = int(
        dt.datetime.combine(monday, dt.time(12), tzinfo=week.tz).utcoffset().total_seconds()
    )
    context = {
        "resource": resource,
        "week_days": days,
        "week": week_label(monday),
        "zone": ZONES.get(offset, ""),
        "words": AVAILABILITY_WORDS,
        **_week_context(monday, today),
    }
    return render(request, "facilities/public/week.html", context)
