"""Background tasks of cases (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .sla import sla_sweep


@task
@scopes_disabled()  # SYSTEM, a background task: sweeps every unit
def sla_sweep_task() -> dict:
    """The SLA sweep as a task, for deployments that schedule tasks rather than cron."""
    return sla_sweep().as_dict()
