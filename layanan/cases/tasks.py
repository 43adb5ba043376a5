"""Background tasks of cases (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .reminders import send_reminders
from .sla import sla_sweep


@task
@scopes_disabled()  # SYSTEM, a background task: sweeps every unit
def sla_sweep_task() -> dict:
    """The SLA sweep as a task, for deployments that schedule tasks rather than cron."""
    return sla_sweep().as_dict()


@task
@scopes_disabled()  # SYSTEM, a background task: reminds for every unit
def send_reminders_task() -> dict:
    """The reminders the working day before audiences and facility bookings
    (``reminders.py``), for deployments that schedule tasks rather than cron
    (``manage.py send_reminders``). Idempotent."""
    return send_reminders().as_dict()


@task
@scopes_disabled()  # SYSTEM, a background task: the cases of every unit the change touches
def calendar_recompute_task(run_id: int) -> dict:
    """Recompute the running cases a calendar change touches (``cases/recompute.py``);
    enqueued by ``workdays.services.calendar_changed`` once the change commits."""
    from .recompute import calendar_recompute_run

    run = calendar_recompute_run(run_id=run_id)
    return {"run": run.pk, "checked": run.cases_checked, "moved": run.cases_moved}
