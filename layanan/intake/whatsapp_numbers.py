"""The installation's WhatsApp business numbers, and how a message goes out: from which number
(the unit's own, else the nearest parent's, else the global one) and, decided when the message
is sent, as free text inside the 24-hour customer-service window or as the approved update
template outside it. The outbox's WhatsApp channel asks here (``notify/channels.py``); the
webhook (``whatsapp.py``) asks which number a delivery was for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from layanan.cases.models import Case
from layanan.core.models import Unit
from layanan.core.phones import normalize_phone

from .models import IntakeChannel, IntakeMessage, WhatsAppNumber

#: The customer-service window: free text may be sent this long after the person last wrote.
WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Number:
    """A business number as this installation knows it."""

    phone_number_id: str
    unit: Unit | None  # None: only sends (the global number without WHATSAPP_DEFAULT_UNIT)
    active: bool = True


def known_number(phone_number_id: str) -> Number | None:
    """The number ``phone_number_id`` names, or ``None`` when this installation does not know
    it (neither a ``WhatsAppNumber`` nor the global number). The global number without a
    ``WHATSAPP_DEFAULT_UNIT`` is known (its status callbacks are taken) but fills no queue."""
    row = WhatsAppNumber.objects.select_related("unit").filter(phone_number_id=phone_number_id)
    row = row.first()
    if row is not None:
        return Number(phone_number_id, row.unit, row.is_active)
    if phone_number_id and phone_number_id == settings.WHATSAPP_PHONE_NUMBER_ID:
        return Number(phone_number_id, default_unit())
    return None


def default_unit() -> Unit | None:
    """The unit whose queue the global number fills (``WHATSAPP_DEFAULT_UNIT``, a slug)."""
    slug = settings.WHATSAPP_DEFAULT_UNIT
    return Unit.objects.filter(slug=slug).first() if slug else None


# --- sending: which number, text or template ----------------------------------------------------


def number_for_unit(unit: Unit | None) -> str:
    """The phone-number id messages about ``unit``'s cases go out from: its own active number,
    else the nearest parent's, else the global ``WHATSAPP_PHONE_NUMBER_ID``."""
    if unit is not None:
        chain = [*reversed(unit.ancestors(include_self=True))]
        numbers = {
            row.unit_id: row.phone_number_id
            for row in WhatsAppNumber.objects.filter(unit__in=chain, is_active=True).order_by("-pk")
        }
        for candidate in chain:
            if candidate.pk in numbers:
                return numbers[candidate.pk]
    return settings.WHATSAPP_PHONE_NUMBER_ID


def _receiving_unit(phone_number_id: str) -> Unit | None:
    number = known_number(phone_number_id)
    return number.unit if number is not None else None


def window_open(recipient: str, phone_number_id: str, now: dt.datetime | None = None) -> bool:
    """Whether ``recipient`` wrote to the number ``phone_number_id`` within the last 24 hours
    (the customer-service window: free text allowed)."""
    unit = _receiving_unit(phone_number_id)
    if unit is None:
        return False
    try:
        address = normalize_phone(recipient)
    except ValidationError:
        return False
    now = now or timezone.now()
    with scopes_disabled():  # SYSTEM: the sender's own messages, read to choose how to answer
        return IntakeMessage.objects.filter(
            unit=unit,
            channel=IntakeChannel.WHATSAPP,
            sender_address=address,
            received_at__gt=now - WINDOW,
        ).exists()


@dataclass(frozen=True)
class Plan:
    sender: str  # phone-number id
    free_text: bool  # inside the customer-service window
    template: str = ""  # outside it: the approved template (empty: none configured)
    language: str = ""
    parameters: tuple[str, ...] = ()


def outgoing_plan(message, now: dt.datetime | None = None) -> Plan:
    """How an outbox row goes out: from which number, as text or as the update template."""
    sender = message.sender
    if not sender and message.case_id:
        with scopes_disabled():  # SYSTEM: the unit of the case the message is about
            case = Case.objects.select_related("unit").filter(pk=message.case_id).first()
        sender = number_for_unit(case.unit if case else None)
    sender = sender or settings.WHATSAPP_PHONE_NUMBER_ID
    if window_open(message.recipient, sender, now):
        return Plan(sender, free_text=True)
    parameters = (message.context or {}).get("template_parameters") or [
        message.subject or message.body.splitlines()[0],
        settings.SITE_URL,
    ]
    return Plan(
        sender,
        free_text=False,
        template=settings.WHATSAPP_TEMPLATE_UPDATE,
        language=settings.WHATSAPP_TEMPLATE_LANGUAGE,
        parameters=tuple(str(p) for p in parameters),
    )
