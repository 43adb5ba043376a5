"""An incoming message recorded as another kind of case than a complaint.

The officer who reads a message that is an audience request or a facility request (a letter
sent by e-mail, a WhatsApp message asking for the hall) records it through that kind's own staff
form, started from the message (``?pesan=<id>``): the form is filled from the message (sender,
channel, time of arrival — the deadline counts from then — and their words), the officer
completes what the kind needs, and saving creates the case and marks the message converted in
one transaction (``services.intake_recorded_as``): its files go onto the case, the choice is
audited, and a message handled meanwhile by a colleague refuses the save with nothing written.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from layanan.core.timezones import activate_unit_time_zone

from .models import IntakeMessage, IntakeStatus
from .selectors import intake_message_for
from .services import intake_record_prefill

PARAMETER = "pesan"


def message_to_record(request: HttpRequest) -> IntakeMessage | None:
    """The waiting message a staff record form starts from, or None when it starts empty.
    A message the user may not triage, or one already handled, is a 404."""
    raw = request.POST.get(PARAMETER) or request.GET.get(PARAMETER) or ""
    if not raw:
        return None
    message = intake_message_for(request.user, int(raw)) if raw.isdigit() else None
    if message is None or (request.method != "POST" and message.status != IntakeStatus.NEW):
        raise Http404
    activate_unit_time_zone(message.unit)  # the time of arrival as the unit reads it
    return message


def record_initial(message: IntakeMessage | None, *, text_field: str) -> dict:
    """The record form's initial values from ``message``; its words go into ``text_field``
    (the audience's topic, the facility request's purpose)."""
    if message is None:
        return {}
    values = intake_record_prefill(message)
    return {
        "channel": values["channel"],
        "received_at": values["received_at"],
        "name": values["requester_name"],
        "email": values["requester_email"],
        "phone": values["requester_phone"],
        text_field: "\n\n".join(part for part in (values["subject"], values["text"]) if part),
    }


def record_choices(user, message: IntakeMessage) -> list[tuple[str, str]]:
    """The other kinds of case ``user`` may record from ``message`` in its unit, as (label,
    URL of the kind's record form started from the message): an audience request where the
    unit (or one above it) publishes an audience standard, a facility request where it has
    bookable resources."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from layanan.accounts.permissions import can
    from layanan.audiences.services import audience_standard
    from layanan.facilities.models import Resource

    if message.status != IntakeStatus.NEW or not can(user, "case.create", message.unit):
        return []
    query = f"?{PARAMETER}={message.pk}"
    choices = []
    if audience_standard(message.unit) is not None:
        choices.append((_("Record as an audience request"), reverse("audience:record") + query))
    if Resource.objects.filter(unit__in=message.unit.descendants(), is_active=True).exists():
        choices.append((_("Record as a facility request"), reverse("bookings:record") + query))
    return choices
