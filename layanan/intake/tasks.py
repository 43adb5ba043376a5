"""Background tasks of the intake (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .poller import poll_all


@task
@scopes_disabled()  # SYSTEM, a background task: every unit's mailbox
def fetch_mail_task() -> dict:
    """Read every active mailbox once (schedule it, or run ``manage.py fetch_mail --loop``)."""
    return {str(pk): str(result) for pk, result in poll_all().items()}


@task
def process_whatsapp_event(event_id: int) -> str:
    """Process one stored WhatsApp webhook delivery (enqueued after its commit)."""
    from .whatsapp import process_event

    return process_event(event_id)
