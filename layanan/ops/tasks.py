"""Background tasks of operations (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task

from .retention import retention_apply


@task
def apply_retention_task() -> dict:
    """Retention as a task, for deployments that schedule tasks rather than cron."""
    return retention_apply().as_dict()
