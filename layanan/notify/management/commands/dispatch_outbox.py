"""manage.py dispatch_outbox [--limit N] [--loop SECONDS]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_scopes import scopes_disabled

from layanan.notify.dispatch import outbox_dispatch


class Command(BaseCommand):
    help = (
        "Send due notifications from the outbox (e-mail, WhatsApp), retry failed ones with "
        "backoff and reclaim messages a crashed worker left in 'sending'. Safe to run in "
        "several processes at once. Run it every minute from cron, or keep it running with "
        "--loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many messages per run."
        )
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Keep running, dispatching again every SECONDS (0: run once and exit).",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: every unit's outbox
    def handle(self, *args, **options):
        limit, pause = options["limit"], options["loop"]
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        if pause < 0:
            raise CommandError("--loop must not be negative")
        try:
            while True:
                report = outbox_dispatch(limit=limit)
                if options["verbosity"] >= 1 and (report.claimed or report.reclaimed or not pause):
                    self.stdout.write(f"Outbox: {report}")
                if not pause:
                    return
                if report.claimed < limit:  # a full batch: more may be waiting, go on at once
                    time.sleep(pause)
                close_old_connections()
        except KeyboardInterrupt:
            return
