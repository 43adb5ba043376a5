"""manage.py sync_holidays YEAR [YEAR...]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from layanan.workdays.services import holidays_sync


class Command(BaseCommand):
    help = (
        "Fill the holiday table from the `holidays` package (Indonesia: national holidays and "
        "cuti bersama). Idempotent; rows edited by hand are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int, metavar="YEAR")

    def handle(self, *args, **options):
        for year in options["years"]:
            if not 1950 <= year <= 2200:
                raise CommandError(f"Year out of range: {year}")
        for year in options["years"]:
            report = holidays_sync(year=year)
            self.stdout.write(
                f"{year}: {len(report.added)} added, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.kept)} kept (edited by hand), "
                f"{len(report.removed)} removed"
            )
            for row in report.added:
                self.stdout.write(f"  + {row.date.isoformat()} [{row.kind}] {row.name}")
            for row in report.updated:
                self.stdout.write(f"  ~ {row.date.isoformat()} [{row.kind}] {row.name}")
            for row in report.removed:
                self.stdout.write(f"  - {row.date.isoformat()} [{row.kind}] {row.name}")
            for item in report.estimated:
                self.stderr.write(
                    f"  ! {item.date.isoformat()} {item.name}: estimated date, check it against "
                    "the SKB and correct it in the admin"
                )
            if not report.has_cuti_bersama:
                self.stderr.write(
                    f"  ! {year}: the package knows no cuti bersama yet (SKB not published?): "
                    "add them in the admin when the decree appears"
                )
