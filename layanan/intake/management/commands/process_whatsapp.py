"""manage.py process_whatsapp [--older-than SECONDS] [--loop SECONDS]"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from layanan.core.management.loop import add_loop_argument, run_every
from layanan.intake.whatsapp import process_pending, prune_processed


class Command(BaseCommand):
    help = (
        "Process stored WhatsApp webhook deliveries that are still pending (their task never "
        "ran, or failed and is due again). Safe to run beside the task worker: processing is "
        "idempotent. Deletes processed deliveries older than WHATSAPP_EVENT_KEEP_DAYS. Run it "
        "every few minutes from cron, or keep it running with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=60,
            metavar="SECONDS",
            help="Only events stored at least this long ago (leave fresh ones to the task).",
        )
        add_loop_argument(parser, doing="looking")

    def handle(self, *args, **options):
        if options["older_than"] < 0:
            raise CommandError("--older-than must not be negative")

        def once():
            count = process_pending(older_than=dt.timedelta(seconds=options["older_than"]))
            pruned = prune_processed()
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"{count} WhatsApp event(s) processed, {pruned} old processed one(s) deleted"
                )

        run_every(options["loop"], once)
