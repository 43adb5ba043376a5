"""manage.py send_reminders [--loop SECONDS]"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from layanan.cases.reminders import send_reminders
from layanan.core.management.loop import add_loop_argument, run_every


class Command(BaseCommand):
    help = (
        "Queue the reminders of audiences and facility bookings that start on the next working "
        "day, to the requester and the staff concerned — once per booking and start time, "
        "however often it runs. Run it every 15 minutes from cron, or keep it running with "
        "--loop."
    )

    def add_arguments(self, parser):
        add_loop_argument(parser, doing="sending")

    @scopes_disabled()  # SYSTEM, run by the operator: reminds for every unit
    def handle(self, *args, **options):
        def once():
            report = send_reminders()
            if options["verbosity"] >= 1:
                self.stdout.write(f"Reminders: {report}")

        run_every(options["loop"], once)
