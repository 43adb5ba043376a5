"""Public pages of audience requests (audiensi): the request form, the status page and the
reply letter download, each behind the tracking code and the public rate limits; the staff's
pages are in ``views.py``."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseKind, Status
from layanan.cases.public_pages import (
    UnknownCode,
    case_by_code,
    private_response,
    status_page_after_sending,
    too_many_response,
)
from layanan.core.errors import ApplicationError
from layanan.core.letters import indonesian_date
from layanan.core.ratelimit import PUBLIC_SUBMISSIONS
from layanan.core.scoping import public_surface
from layanan.workdays.deadlines import format_due

from .forms import (
    AudienceRequestForm,
)
from .letters import (
    format_schedule,
    render_reply_pdf,
)
from .services import (
    audience_request_create,
    audience_units,
)
from .views import ERROR_FIELDS, create_kwargs, pdf_response

# --- public -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the public requests an audience of any unit")
def request_form(request: HttpRequest) -> HttpResponse:
    """``/audiensi/`` (``?instansi=<unit slug>`` preselects the unit, as the catalogue links):
    the public's request. Rate-limited like the complaint form."""
    units = audience_units()
    status = 200
    if request.method == "POST":
        retry_after = PUBLIC_SUBMISSIONS.hit(request)
        if retry_after:
            return too_many_response(request, retry_after)
        form = AudienceRequestForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            try:
                with transaction.atomic():
                    case = audience_request_create(
                        actor=PUBLIC,
                        letter_uploads=form.cleaned_data["letter"],
                        letter_number=form.cleaned_data.get("letter_number", ""),
                        letter_date=form.cleaned_data.get("letter_date"),
                        **create_kwargs(form),
                    )
            except ApplicationError as exc:
                form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
            else:
                return status_page_after_sending(case)
        status = 400
    else:
        initial = {}
        units_list = list(units)
        wanted = request.GET.get("instansi")  # the catalogue's "request online" link
        chosen = [u for u in units_list if u.slug == wanted] if wanted else []
        if len(units_list) == 1:
            chosen = units_list
        if chosen:
            initial["unit"] = chosen[0].pk
        form = AudienceRequestForm(units=units, initial=initial)
    response = render(
        request,
        "audiences/public_form.html",
        {
            "form": form,
            "has_units": units.exists(),
            # a browser never re-sends a file: say so when the refused form had one
            "files_dropped": status != 200 and bool(request.FILES),
        },
        status=status,
    )
    return private_response(response, noindex=False) if status != 200 else response


#: Where the requester has the answer: the schedule and the reply letter are shown.
ANSWERED = (Status.ANSWERED, Status.CLOSED)

PUBLIC_STEPS = {
    Status.RECEIVED: gettext_lazy("Received; waiting for the head of the office."),
    Status.VERIFIED: gettext_lazy("Handed to the division in charge; a schedule is being set."),
    Status.IN_PROGRESS: gettext_lazy("A schedule is being agreed with the official."),
    Status.ANSWERED: gettext_lazy("Answered: the reply letter has been sent."),
    Status.CLOSED: gettext_lazy("Closed."),
    Status.REJECTED: gettext_lazy("The request could not be granted."),
    Status.WITHDRAWN: gettext_lazy("Withdrawn."),
    Status.WAITING: gettext_lazy("Waiting for information from you."),
}


@require_safe
@public_surface("found by the tracking code, the secret of its holder")
@case_by_code(kind=CaseKind.AUDIENCE, related=("unit", "audience"), canonical=True)
def request_status(request: HttpRequest, case: Case, code: str) -> HttpResponse:
    """``/audiensi/permohonan/<code>/``: the status for whoever holds the code. Never the
    requester's nor staff names."""
    detail = case.audience
    answered = case.status in ANSWERED
    reason = ""
    if case.status == Status.REJECTED:
        last = case.events.filter(kind="status", new_value=Status.REJECTED, is_internal=False)
        reason = last.order_by("-at").values_list("note", flat=True).first() or ""
    context = {
        "case": case,
        "detail": detail,
        "code": code,
        "step": PUBLIC_STEPS.get(case.status, ""),
        "answered": answered,
        "schedule": format_schedule(detail.schedule_starts_at, case.unit) if answered else "",
        "reply_date": indonesian_date(detail.reply_date) if answered else "",
        "letter_url": (
            reverse("audience:public_letter", kwargs={"code": code})
            if answered and detail.reply_number
            else ""
        ),
        "reason": reason,
        "just_sent": bool(request.GET.get("baru")),
        "due": format_due(case.due_at, unit=case.unit) if case.due_at and case.is_open else "",
    }
    return private_response(render(request, "audiences/public_status.html", context))


@require_safe
@public_surface("the issued reply letter, found by the tracking code, the secret of its holder")
@case_by_code(kind=CaseKind.AUDIENCE, related=("unit", "unit__parent", "audience"))
def request_letter(request: HttpRequest, case: Case, code: str) -> HttpResponse:
    """``/audiensi/permohonan/<code>/surat-balasan.pdf``: the issued reply letter for whoever
    holds the tracking code; 404 (rate-limited) for a wrong code or before it is issued."""
    detail = case.audience
    if case.status not in ANSWERED or not detail.reply_number:
        raise UnknownCode
    return pdf_response(render_reply_pdf(detail), detail.reply_number, attachment=True)
