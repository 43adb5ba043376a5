"""Background tasks of the intake (``django.tasks``), and the helpers that enqueue them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django_scopes import scopes_disabled

from .models import WhatsAppEvent
from .poller import poll_all
from .whatsapp import process_event

logger = logging.getLogger("layanan.intake.whatsapp")


@task
@scopes_disabled()  # SYSTEM, a background task: every unit's mailbox
def fetch_mail_task() -> dict:
    """Read every active mailbox once (schedule it, or run ``manage.py fetch_mail --loop``)."""
    return {str(pk): str(result) for pk, result in poll_all().items()}


@task
def process_whatsapp_event(event_id: int) -> str:
    """Process one stored WhatsApp webhook delivery (enqueued after its commit)."""
    return process_event(event_id)


def accept_delivery(body: bytes, phone_number_ids: list[str]) -> WhatsAppEvent:
    """Store a verified delivery and schedule its processing after commit."""
    with transaction.atomic():
        event = WhatsAppEvent.objects.create(
            body=body.decode("utf-8"), phone_number_ids=phone_number_ids
        )
        transaction.on_commit(lambda: schedule_processing(event.pk), robust=True)
    return event


def schedule_processing(event_id: int) -> None:
    """Ask the task worker to process the event; if it cannot take it, the sweep will."""
    if not settings.WHATSAPP_PROCESS_ON_COMMIT:
        return
    try:
        process_whatsapp_event.enqueue(event_id)
    except Exception:
        logger.warning(
            "whatsapp: could not enqueue event %s; manage.py process_whatsapp will",
            event_id,
            exc_info=True,
        )
