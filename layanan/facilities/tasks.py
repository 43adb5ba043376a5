"""Background tasks of bookings and audiences (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .reminders import send_reminders


@task
@scopes_disabled()  # SYSTEM, a background task: reminds for every unit
def send_reminders_task() -> dict:
    """The reminders the working day before audiences and facility bookings, for deployments
    that schedule tasks rather than cron (``manage.py send_reminders``). Idempotent."""
    return send_reminders().as_dict()
