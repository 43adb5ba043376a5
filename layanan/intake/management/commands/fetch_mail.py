"""manage.py fetch_mail [--mailbox ID] [--loop SECONDS]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.core.management.loop import add_loop_argument, run_every
from layanan.intake.models import Mailbox
from layanan.intake.poller import MailboxError, poll_all, poll_mailbox


class Command(BaseCommand):
    help = (
        "Read the units' mailboxes (IMAP) into their intake queues. Each message is recorded "
        "exactly once, also when two runs overlap or a run was killed half-way. Run it every "
        "minute from cron, or keep it running with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", type=int, help="Only this mailbox (its id).")
        add_loop_argument(parser, doing="reading")

    @scopes_disabled()  # SYSTEM, run by the operator: every unit's mailbox
    def handle(self, *args, **options):
        pause = options["loop"]
        self.verbosity = options["verbosity"]
        failed = 0

        def once():
            nonlocal failed
            failed = self._run_once(options["mailbox"])

        run_every(pause, once)
        if not pause and failed:  # a run from cron reports its failure by its exit status
            raise CommandError(f"{failed} mailbox(es) could not be read")

    def _run_once(self, mailbox_id) -> int:
        if mailbox_id is not None:
            mailbox = Mailbox.objects.select_related("unit").filter(pk=mailbox_id).first()
            if mailbox is None:
                raise CommandError(f"No mailbox with id {mailbox_id}")
            try:
                results = {mailbox.pk: poll_mailbox(mailbox)}
            except MailboxError as error:
                results = {mailbox.pk: str(error)}
        else:
            results = poll_all()
        failed = 0
        for pk, result in results.items():
            if isinstance(result, str):
                failed += 1
                self.stderr.write(f"Mailbox {pk}: {result}")
            elif self.verbosity >= 1:
                self.stdout.write(f"Mailbox {pk}: {result}")
        return failed
