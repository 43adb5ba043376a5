"""manage.py plan_survey_periods [--date YYYY-MM-DD] — run daily from cron."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.surveys.periods import survey_periods_plan


class Command(BaseCommand):
    help = (
        "Make each unit's running and next survey period from its published standards' number "
        "of surveys per year; never over a period an administrator made (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")

    @scopes_disabled()  # SYSTEM, run by the operator: the periods of every unit
    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        report = survey_periods_plan(today=today)
        for slug in report.created:
            self.stdout.write(f"made {slug}")
        for slug in report.removed:
            self.stdout.write(f"removed {slug} (not started; the cadence changed)")
        if options["verbosity"] > 1:
            for slot in report.kept_for_hand_made:
                self.stdout.write(f"not made {slot}: a period made by hand covers it")
        self.stdout.write(
            f"{report.today}: {report.units} unit(s), {len(report.created)} made, "
            f"{len(report.removed)} removed."
        )
