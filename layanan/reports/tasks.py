"""Background tasks of the reports (``django.tasks``), for deployments that schedule tasks rather
than cron (``manage.py fill_report_snapshots``, daily). Idempotent."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .filling import snapshots_fill


@task
@scopes_disabled()  # SYSTEM, a background task: the aggregate figures of every unit
def fill_report_snapshots_task(months: int = 12) -> dict:
    """Store the figures of the closed months (the last ``months`` of them) of every unit that
    are not stored yet: run daily, it stores last month on the first day of the next."""
    return snapshots_fill(months=months).as_dict()
