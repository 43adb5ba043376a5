"""Background tasks of the satisfaction survey (``django.tasks``), for deployments that schedule
tasks rather than cron (``manage.py plan_survey_periods`` daily, ``manage.py
send_survey_reminders`` hourly). Both are idempotent."""

from __future__ import annotations

from django.tasks import task
from django_scopes import scopes_disabled

from .periods import survey_periods_plan
from .reminders import send_survey_reminders


@task
@scopes_disabled()  # SYSTEM, a background task: the periods of every unit
def plan_survey_periods_task() -> dict:
    """Make the running and next survey period of every unit from its standards' cadence."""
    return survey_periods_plan().as_dict()


@task
@scopes_disabled()  # SYSTEM, a background task: the heads of every unit
def send_survey_reminders_task() -> dict:
    """Queue the survey-period reminders due now to the heads of unit."""
    return send_survey_reminders().as_dict()
