"""Staff page that records a complaint received on another channel: ``/staf/pengaduan/baru/``.

The complaint and its files are written in one transaction through ``complaint_create`` and
``attachment_add``; on success the officer lands on the new case's page. A rejected form is
shown again with everything typed (files must be chosen again: browsers never refill a file
input) and the errors beside their fields; a domain error from the service becomes the same.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can
from layanan.cases.attachments import attachment_add
from layanan.cases.numbering import format_public_code
from layanan.cases.views import case_url, staff_context, staff_required
from layanan.core.errors import ApplicationError

from .services import complaint_create
from .staff_forms import StaffComplaintForm

#: complaint_create's error codes → the field the error belongs beside
ERROR_FIELDS = {
    "future_receipt": "received_at",
    "receipt_too_old": "received_at",
    "lapor_number_required": "lapor_number",
    "description_required": "description",
}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_record(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "case.create"):
        raise PermissionDenied
    if request.method != "POST":
        form = StaffComplaintForm(user=request.user)
        return _render(request, form)
    form = StaffComplaintForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _render(request, form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            case = complaint_create(
                actor=request.user,
                unit=data["unit"],
                standard=data.get("standard"),
                channel=data["channel"],
                received_at=data["received_at"],
                subject=data.get("subject", ""),
                description=data["description"],
                location=data.get("location", ""),
                requester_name=data.get("name", ""),
                requester_email=data.get("email", ""),
                requester_phone=data.get("phone", ""),
                anonymous=data.get("anonymous", False),
                confidential=data.get("confidential", False),
                lapor_number=data.get("lapor_number", ""),
            )
            for upload in data.get("files") or []:
                attachment_add(case=case, upload=upload, actor=request.user)
    except ApplicationError as exc:
        form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        return _render(request, form, status=exc.status_code)
    messages.success(
        request,
        _("The complaint was recorded as %(number)s. Tracking code for the reporter: %(code)s.")
        % {"number": case.number, "code": format_public_code(case.public_code)},
    )
    return redirect(case_url(case))


def _render(request: HttpRequest, form: StaffComplaintForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "cases/complaint_record.html",
        {
            "form": form,
            "files_lost": form.is_bound and bool(request.FILES) and bool(form.errors),
            **staff_context(request, "record"),
        },
        status=status,
    )


@staff_required
@require_safe
def complaint_answer_letter(request: HttpRequest, ref: str) -> HttpResponse:
    """The numbered answer letter of a complaint, for staff who may see the case (the letter
    names no confidential or anonymous reporter, see answer_letters.py)."""
    from layanan.cases.models import Case
    from layanan.cases.selectors import case_for_staff

    from .answer_letters import render_answer_letter_pdf

    try:
        case = case_for_staff(request.user, ref)
    except Case.DoesNotExist:
        raise Http404("No such case within reach") from None
    detail = getattr(case, "complaint", None) if case.kind == "complaint" else None
    if detail is None or not detail.letter_number:
        raise Http404("No answer letter")
    return letter_response(detail, render_answer_letter_pdf(detail))


def letter_response(detail, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "surat-jawaban-" + detail.letter_number.replace("/", "-") + ".pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
