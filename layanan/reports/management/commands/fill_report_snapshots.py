"""manage.py fill_report_snapshots [--months N] [--last YYYY-MM] — run daily from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.reports.filling import snapshots_fill
from layanan.reports.metrics import Month


class Command(BaseCommand):
    help = (
        "Store the monthly report figures of every unit for the closed months not stored yet "
        "(default: the 12 months before this one). Idempotent; safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=12, help="how many closed months (default 12)"
        )
        parser.add_argument("--last", help="the last month to fill (YYYY-MM; default last month)")

    @scopes_disabled()  # SYSTEM, run by the operator: the aggregate figures of every unit
    def handle(self, *args, months=12, last=None, **options):
        if months < 1:
            raise CommandError("--months must be at least 1")
        last_month = None
        if last:
            try:
                last_month = Month.parse(last)
            except ValueError:
                raise CommandError(f"--last must be YYYY-MM, not {last!r}") from None
        report = snapshots_fill(months=months, last=last_month)
        span = f"{report.months[0]}…{report.months[-1]}" if report.months else "no closed month"
        self.stdout.write(
            f"{span}: {report.computed} month(s) computed and stored for {report.units} unit(s); "
            "the others were stored already."
        )
