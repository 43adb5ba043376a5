"""manage.py first_run_token — print the one-time link to the first-run page.

Only for an empty installation (no superuser, no unit). The link works once, for two hours
(``--hours``); a new link withdraws the previous one. Only the token's hash is stored.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from layanan.core.errors import ApplicationError
from layanan.setup.services import first_run_token_create


class Command(BaseCommand):
    help = "Print a one-time link that lets the first administrator set up an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=2.0, help="validity (default 2)")

    def handle(self, *args, **options):
        if options["hours"] <= 0:
            raise CommandError("--hours must be positive")
        try:
            _token, url = first_run_token_create(lifetime=dt.timedelta(hours=options["hours"]))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(url)
        self.stderr.write(
            f"Open this link within {options['hours']:g} hour(s) to create the first "
            "administrator. It works once; keep it secret."
        )
