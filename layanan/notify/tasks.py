"""Background tasks (``django.tasks``; the database backend by default)."""

from __future__ import annotations

from django.tasks import task

from .services import outbox_dispatch


@task
def dispatch_outbox(limit: int = 100) -> dict:
    """Send the due outbox messages. Enqueued after every commit that queues a message; the
    periodic ``manage.py dispatch_outbox`` run covers retries and anything enqueued while the
    task backend was unreachable."""
    return outbox_dispatch(limit=limit).as_dict()
