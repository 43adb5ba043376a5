"""Staff pages of the intake queue: the list (filters, the waiting count) and one message with
the officer's three choices. Keyboard-friendly without JavaScript: every choice is a plain
form, the first field of the open choice has focus, and after a decision the page goes straight
to the next waiting message; ``intake.js`` adds j/k (next/previous row) and 1/2/3 (the three
choices) where scripts run. A message outside the user's units answers 404.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can
from layanan.cases.attachments import private_file_response
from layanan.cases.selectors import cases_visible_to
from layanan.cases.views import case_url, staff_context, staff_required
from layanan.core.errors import ApplicationError
from layanan.core.timezones import activate_unit_time_zone

from .forms import AttachForm, ConvertForm, DismissForm, QueueFilterForm
from .models import IntakeStatus
from .recording import record_choices
from .selectors import (
    QUEUE_PAGE_SIZE,
    hides_sender,
    intake_attachment_for,
    intake_message_for,
    intake_queue,
    intake_waiting_count,
    next_waiting,
)
from .services import intake_attach, intake_convert, intake_dismiss

CONVERT, ATTACH, DISMISS = "convert", "attach", "dismiss"


def _may_triage(request: HttpRequest) -> None:
    if not can(request.user, "intake.triage"):
        raise Http404


@staff_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    _may_triage(request)
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(intake_queue(request.user, **filters), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {"message": m, "url": reverse("intake:detail", args=[m.pk]), "hidden": hides_sender(m)}
        for m in page.object_list
    ]
    return render(
        request,
        "intake/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "waiting": intake_waiting_count(request.user),
            "showing_waiting": filters["status"] == IntakeStatus.NEW,
            **staff_context(request, "intake"),
        },
    )


def _forms(message, data=None, bound=""):
    initial_number = message.suggested_case.number if message.suggested_case_id else ""
    return {
        CONVERT: ConvertForm(
            data if bound == CONVERT else None,
            initial={"subject": message.subject[:200], "description": message.text},
            prefix=CONVERT,
        ),
        ATTACH: AttachForm(
            data if bound == ATTACH else None,
            initial={"case_number": initial_number},
            prefix=ATTACH,
        ),
        DISMISS: DismissForm(data if bound == DISMISS else None, prefix=DISMISS),
    }


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_triage(request)
    message = intake_message_for(request.user, pk)
    if message is None:
        raise Http404
    activate_unit_time_zone(message.unit)
    bound = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(message, request.POST, bound)
    error, status = "", 200
    if bound in forms and message.status == IntakeStatus.NEW:
        form = forms[bound]
        if form.is_valid():
            try:
                done = _decide(request, message, bound, form.cleaned_data)
            except ApplicationError as failure:
                error, status = str(failure.message), failure.status_code
            else:
                flash.success(request, done)
                following = next_waiting(request.user, message)
                if following is not None:
                    return redirect("intake:detail", pk=following.pk)
                return redirect("intake:queue")
        else:
            status = 400
    elif request.method == "POST":
        error, status = _("This message has already been handled."), 409
    context = {
        "message": message,
        "hidden": hides_sender(message),
        "files": list(message.attachments.all()),
        "forms": forms,
        "bound": bound or (ATTACH if message.suggested_case_id else CONVERT),
        "error": error,
        "case_url": case_url(message.case) if message.case_id else "",
        "suggested_url": case_url(message.suggested_case) if message.suggested_case_id else "",
        "waiting": intake_waiting_count(request.user),
        "record_choices": record_choices(request.user, message),
        **staff_context(request, "intake"),
    }
    return render(request, "intake/detail.html", context, status=status)


def _decide(request: HttpRequest, message, action: str, data: dict) -> str:
    user = request.user
    with transaction.atomic():
        if action == CONVERT:
            case = intake_convert(
                actor=user,
                message=message,
                subject=data["subject"],
                description=data["description"],
                confidential=data["confidential"],
            )
            return _("Complaint %(number)s recorded from the message.") % {"number": case.number}
        if action == ATTACH:
            number = data["case_number"].strip().upper()
            case = cases_visible_to(user).filter(number=number).first()
            if case is None:
                raise ApplicationError(
                    _("No case %(number)s in your units.") % {"number": number}, "unknown_case"
                )
            intake_attach(actor=user, message=message, case=case)
            return _("The message was added to %(number)s.") % {"number": case.number}
        intake_dismiss(actor=user, message=message, reason=data["reason"], note=data["note"])
        return _("The message was dismissed.")


@require_safe
@staff_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file that came with a message, to who may triage its unit; 404 for everyone else."""
    attachment = intake_attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    return private_file_response(attachment)
