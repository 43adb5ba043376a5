"""The staff page that records a request received as a paper letter or by another channel —
one flow for the facility request (``facilities.views.booking_record``) and the audience request
(``audiences.views.audience_record``); it lives here, below both apps, since issue 21 split them.

The page may start from an incoming e-mail or WhatsApp message (``?pesan=<id>``,
``recording.py``): the form is filled from the message, and saving creates the case
and marks the message recorded as that case in one transaction, so a message handled meanwhile
by a colleague refuses the save with nothing written. A refused save comes back with the typed
input and the service's message beside its field, with the service's status code; files are
never kept across a refused save (the page says so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from layanan.core.errors import ApplicationError
from layanan.intake.models import IntakeMessage
from layanan.intake.recording import message_to_record
from layanan.intake.services import intake_recorded_as


@dataclass(frozen=True)
class RecordPage:
    """What the record page of one kind of request has of its own."""

    form_class: type
    template: str
    #: URL name of the recorded case's staff page (it takes the case number)
    detail_url: str
    #: the message after saving, with ``%(number)s``
    recorded: str
    #: service error code → the field its message belongs beside (the public form's map: its
    #: ``letter`` is this form's ``letter_field``)
    error_fields: Mapping[str, str]
    #: the scan's field, where a missing or refused file's message goes
    letter_field: str


def letter_kwargs(form) -> dict:
    """How the request arrived, as both services take it: the channel, the time of receipt and
    the paper letter's number and date."""
    data = form.cleaned_data
    return {
        "channel": data["channel"],
        "received_at": data.get("received_at"),
        "letter_number": data.get("letter_number", ""),
        "letter_date": data.get("letter_date"),
    }


def record_request(
    request: HttpRequest,
    page: RecordPage,
    *,
    create: Callable,
    request_kwargs: Callable[[object], dict],
    initial: Callable[[IntakeMessage | None], dict],
    form_kwargs: dict,
    context: dict,
) -> HttpResponse:
    """Show and save the record form of ``page``'s kind. ``create`` is the kind's creating
    service (called with the actor, :func:`letter_kwargs` and ``request_kwargs(form)``);
    ``initial(message)`` the blank form's values (``message`` is None when the page does not
    start from one); ``form_kwargs`` go to every form, ``context`` to the template."""
    message = message_to_record(request)
    status = 200
    if request.method == "POST":
        form = page.form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():
                    case = create(actor=request.user, **letter_kwargs(form), **request_kwargs(form))
                    if message is not None:
                        intake_recorded_as(actor=request.user, message=message, case=case)
            except ValidationError as exc:  # a file the form's check let through
                form.add_error(page.letter_field, exc)
                status = 400
            except ApplicationError as exc:
                form.add_error(_error_field(form, page, exc.code), exc.message)
                status = exc.status_code
            else:
                messages.success(request, page.recorded % {"number": case.number})
                return redirect(reverse(page.detail_url, args=[case.number]))
        else:
            status = 400
    else:
        form = page.form_class(initial=initial(message), **form_kwargs)
    return render(
        request,
        page.template,
        {
            **context,
            "form": form,
            "intake_message": message,
            "files_dropped": request.method == "POST" and bool(request.FILES),
        },
        status=status,
    )


def _error_field(form, page: RecordPage, code: str) -> str | None:
    """The field beside which the service's error ``code`` is shown: the mapped one (the
    letter's is the scan's here) when the form has it, else above the form."""
    field = page.error_fields.get(code)
    if field == "letter":
        field = page.letter_field
    return field if field in form.fields else None
