"""manage.py sync_holidays YEAR [YEAR...] | --upcoming

``--upcoming`` is the periodic load (daily from cron, docs/operations.md): this year and the next,
as soon as the package lists them, so the new year arrives with its holidays."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from layanan.workdays.services import holidays_sync, holidays_sync_upcoming


class Command(BaseCommand):
    help = (
        "Fill the holiday table from the `holidays` package (Indonesia: national holidays and "
        "cuti bersama). Idempotent; rows edited by hand are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, metavar="YEAR")
        parser.add_argument(
            "--upcoming",
            action="store_true",
            help="this year and the next (the periodic load; run it daily)",
        )

    def handle(self, *args, **options):
        if options["upcoming"] == bool(options["years"]):
            raise CommandError("Give one or more YEARs, or --upcoming")
        for year in options["years"]:
            if not 1950 <= year <= 2200:
                raise CommandError(f"Year out of range: {year}")
        if options["upcoming"]:
            reports = holidays_sync_upcoming()
        else:
            reports = [holidays_sync(year=year) for year in options["years"]]
        for report in reports:
            year = report.year
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
