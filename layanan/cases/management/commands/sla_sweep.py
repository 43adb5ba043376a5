"""manage.py sla_sweep [--loop SECONDS]"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from layanan.cases.sla import sla_sweep
from layanan.core.management.loop import add_loop_argument, run_every


class Command(BaseCommand):
    help = (
        "Mark open cases due soon and overdue, notify their handlers and escalate overdue ones "
        "to the head of unit — once per case and threshold, also when several sweeps run at "
        "once. Run it every few minutes from cron, or keep it running with --loop."
    )

    def add_arguments(self, parser):
        add_loop_argument(parser, doing="sweeping")

    @scopes_disabled()  # SYSTEM, run by the operator: sweeps every unit
    def handle(self, *args, **options):
        def once():
            report = sla_sweep()
            if options["verbosity"] >= 1:
                self.stdout.write(f"SLA sweep: {report}")

        run_every(options["loop"], once)
