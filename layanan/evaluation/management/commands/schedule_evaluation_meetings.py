"""manage.py schedule_evaluation_meetings [--month YYYY-MM] — run daily from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from layanan.accounts.actors import SYSTEM
from layanan.evaluation.services import meetings_schedule
from layanan.reports.metrics import Month


class Command(BaseCommand):
    help = (
        "Plan the evaluation meetings of this month and the next for every unit with published "
        "standards, as often as its standards say (default monthly). Idempotent: safe to run "
        "daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="plan this month only (YYYY-MM)")

    @scopes_disabled()  # SYSTEM, run by the operator: every unit's meetings (not a case table)
    def handle(self, *args, month=None, **options):
        if month:
            try:
                months = [Month.parse(month)]
            except ValueError:
                raise CommandError(f"--month must be YYYY-MM, not {month!r}") from None
        else:
            this = Month.of(timezone.localdate())
            months = [this, this.next()]
        for m in months:
            report = meetings_schedule(actor=SYSTEM, month=m)
            self.stdout.write(
                f"{m}: {len(report.created)} meeting(s) planned, {report.existing} already "
                f"planned, for {report.units} unit(s)."
            )
