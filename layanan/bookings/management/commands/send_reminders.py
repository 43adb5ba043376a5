"""manage.py send_reminders [--loop SECONDS]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_scopes import scopes_disabled

from layanan.bookings.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders of audiences and facility bookings that start on the next working "
        "day, to the requester and the staff concerned — once per booking and start time, "
        "however often it runs. Run it every 15 minutes from cron, or keep it running with "
        "--loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Keep running, sending again every SECONDS (0: once and exit).",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: reminds for every unit
    def handle(self, *args, **options):
        pause = options["loop"]
        if pause < 0:
            raise CommandError("--loop must not be negative")
        try:
            while True:
                report = send_reminders()
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Reminders: {report}")
                if not pause:
                    return
                time.sleep(pause)
                close_old_connections()
        except KeyboardInterrupt:
            return
