"""manage.py load_organisation FILE [--dry-run] — the unit tree, contacts, hours, time zones
and staff roles.

Validates the whole file first (every problem with its line), then creates or updates units by
slug and members by username in one transaction, as the SYSTEM actor. Never deletes a unit, a
user or a role; lists those the file does not name. New users get no password. Loading the same
file twice changes nothing. Format: docs/adopting.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from layanan.accounts.actors import SYSTEM
from layanan.core.errors import ApplicationError
from layanan.core.orgfile import OrganisationFileError, load_organisation_file


class Command(BaseCommand):
    help = (
        "Load an organisation file (TOML): units, contacts, office hours, time zones and "
        "staff roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="organisation file, e.g. data/organisations/kalbar.toml")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, **options):
        try:
            report = load_organisation_file(
                options["file"], actor=SYSTEM, dry_run=options["dry_run"]
            )
        except OrganisationFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{options['file']}: {problem}")
            raise CommandError(
                f"{options['file']}: {len(exc.problems)} problem(s), nothing was written"
            ) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in report.lines():
            self.stdout.write(line)
