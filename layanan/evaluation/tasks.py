"""Background tasks of the evaluation (``django.tasks``)."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from layanan.accounts.actors import SYSTEM
from layanan.reports.metrics import Month

from .services import meetings_schedule


@task
def schedule_evaluation_meetings_task() -> dict:
    """``manage.py schedule_evaluation_meetings`` as a task: this month's and next month's."""
    this = Month.of(timezone.localdate())
    return {
        str(m): len(meetings_schedule(actor=SYSTEM, month=m).created) for m in (this, this.next())
    }
