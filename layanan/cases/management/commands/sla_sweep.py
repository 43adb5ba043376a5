"""manage.py sla_sweep [--loop SECONDS]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_scopes import scopes_disabled

from layanan.cases.sla import sla_sweep


class Command(BaseCommand):
    help = (
        "Mark open cases due soon and overdue, notify their handlers and escalate overdue ones "
        "to the head of unit — once per case and threshold, also when several sweeps run at "
        "once. Run it every few minutes from cron, or keep it running with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Keep running, sweeping again every SECONDS (0: sweep once and exit).",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: sweeps every unit
    def handle(self, *args, **options):
        pause = options["loop"]
        if pause < 0:
            raise CommandError("--loop must not be negative")
        try:
            while True:
                report = sla_sweep()
                if options["verbosity"] >= 1:
                    self.stdout.write(f"SLA sweep: {report}")
                if not pause:
                    return
                time.sleep(pause)
                close_old_connections()
        except KeyboardInterrupt:
            return
