"""manage.py monthly_report --unit SLUG --month YYYY-MM [--output DIR] [--email]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.core.models import Unit
from layanan.reports import exports
from layanan.reports.metrics import Month
from layanan.reports.monthly import monthly_report_email
from layanan.reports.summary import evaluation


class Command(BaseCommand):
    help = "Write the monthly evaluation of a unit as PDF and XLSX; --email queues it to the heads."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit slug")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--output", default=".", help="directory for the files (default: .)")
        parser.add_argument(
            "--email", action="store_true", help="queue the e-mail to the unit's heads"
        )

    @scopes_disabled()  # SYSTEM, run by the operator: the unit is an argument
    def handle(self, *args, unit, month, output, email, **options):
        try:
            the_unit = Unit.objects.get(slug=unit)
        except Unit.DoesNotExist:
            raise CommandError(f"Unknown unit {unit!r}") from None
        try:
            the_month = Month.parse(month)
        except ValueError:
            raise CommandError(f"--month must be YYYY-MM, not {month!r}") from None
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        ev = evaluation(the_unit, the_month)
        for ext, render in (("pdf", exports.evaluation_pdf), ("xlsx", exports.evaluation_xlsx)):
            path = directory / exports.evaluation_filename(the_unit, the_month, ext)
            path.write_bytes(render(ev))
            self.stdout.write(f"Wrote {path}")
        for c in ev.comparison:
            self.stdout.write(f"  {c.label}: {c.current if c.current is not None else '–'}")
        if email:
            queued = monthly_report_email(the_unit, the_month, ev=ev)
            self.stdout.write(f"Queued {queued} e-mail(s) to the heads of {the_unit.slug}")
