"""Background tasks of operations (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .retention import retention_apply


@task
@scopes_disabled()  # SYSTEM, a background task: retention covers every unit
def apply_retention_task() -> dict:
    """Retention as a task, for deployments that schedule tasks rather than cron."""
    return retention_apply().as_dict()
