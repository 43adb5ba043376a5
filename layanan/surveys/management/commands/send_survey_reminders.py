"""manage.py send_survey_reminders — run hourly from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from layanan.surveys.reminders import send_survey_reminders


class Command(BaseCommand):
    help = (
        "Queue the survey-period reminders due now to the heads of unit: a period opened, its "
        "sample short one month before the end, a period closed with its IKM. Each once; "
        "nothing outside working hours (safe to run hourly)."
    )

    @scopes_disabled()  # SYSTEM, run by the operator: the heads of every unit
    def handle(self, *args, **options):
        report = send_survey_reminders()
        for item in report.recorded:
            self.stdout.write(f"recorded {item}")
        self.stdout.write(
            f"{report.now:%Y-%m-%d %H:%M}: {len(report.recorded)} reminder(s), "
            f"{report.queued} e-mail(s) queued."
        )
