"""Background tasks (``django.tasks``; the database backend by default)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .dispatch import outbox_dispatch


@task
@scopes_disabled()  # SYSTEM, a background task: every unit's outbox
def dispatch_outbox(limit: int = 100) -> dict:
    """Send the due outbox messages. Enqueued after every commit that queues a message; the
    periodic ``manage.py dispatch_outbox`` run covers retries and anything enqueued while the
    task backend was unreachable."""
    return outbox_dispatch(limit=limit).as_dict()
