"""manage.py dispatch_outbox [--limit N] [--loop SECONDS]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.core.management.loop import add_loop_argument, run_every
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
        add_loop_argument(parser, doing="dispatching")

    @scopes_disabled()  # SYSTEM, run by the operator: every unit's outbox
    def handle(self, *args, **options):
        limit, pause = options["limit"], options["loop"]
        if limit < 1:
            raise CommandError("--limit must be at least 1")

        def once() -> bool:
            report = outbox_dispatch(limit=limit)
            if options["verbosity"] >= 1 and (report.claimed or report.reclaimed or not pause):
                self.stdout.write(f"Outbox: {report}")
            return report.claimed >= limit  # a full batch: more may be waiting, go on at once

        run_every(pause, once)
