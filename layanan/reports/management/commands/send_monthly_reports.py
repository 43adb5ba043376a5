"""manage.py send_monthly_reports [--date YYYY-MM-DD] — run daily from cron."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.reports.monthly import send_monthly_reports


class Command(BaseCommand):
    help = (
        "If today is the first working day of the month, queue last month's evaluation to every "
        "head of unit (idempotent; safe to run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")

    @scopes_disabled()  # SYSTEM, run by the operator: one report per unit
    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        result = send_monthly_reports(today=today)
        if result.month is None:
            self.stdout.write(
                f"{result.today}: not the first working day of the month "
                f"({result.first_working_day}); nothing to send."
            )
            return
        self.stdout.write(
            f"{result.today}: reports for {result.month} — {result.queued} e-mail(s) queued "
            f"for {result.units} unit(s)."
        )
