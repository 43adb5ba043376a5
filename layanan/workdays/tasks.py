"""Background tasks of the working-day calendar (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task

from .services import holidays_sync_upcoming


@task
def holidays_sync_upcoming_task() -> list[dict]:
    """The periodic load of this year's and next year's holidays, for deployments that
    schedule tasks rather than cron (``manage.py sync_holidays --upcoming``). Idempotent."""
    return [
        {
            "year": report.year,
            "added": len(report.added),
            "updated": len(report.updated),
            "removed": len(report.removed),
            "kept": len(report.kept),
            "estimated": len(report.estimated),
        }
        for report in holidays_sync_upcoming()
    ]
