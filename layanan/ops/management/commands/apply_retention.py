"""``manage.py apply_retention [--dry-run]``: erase requesters' identities past retention."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.ops.retention import retention_apply, retention_erase_now


class Command(BaseCommand):
    help = (
        "Erase the identity of requesters of cases that ended longer ago than RETENTION_DAYS "
        "for their kind; cases, times and statuses stay for the statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--case",
            action="append",
            metavar="NUMBER",
            help="erase this ended case's identity now, whatever its age (an erasure request); "
            "repeatable",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: retention covers every unit
    def handle(self, *args, **options):
        if options["case"]:
            if options["dry_run"]:
                raise CommandError("--case erases at once; it has no --dry-run")
            try:
                report = retention_erase_now(numbers=options["case"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        else:
            report = retention_apply(dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
            return
        verb = "would erase" if report.dry_run else "erased"
        per_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(report.by_kind.items())) or "none"
        self.stdout.write(f"{verb} {report.total} identities ({per_kind})")
        if not report.dry_run:
            self.stdout.write(
                f"attachments deleted {report.attachments_deleted}, "
                f"visitor records deleted {report.visitors_deleted}"
            )
