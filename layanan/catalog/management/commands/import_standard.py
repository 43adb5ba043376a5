"""manage.py import_standard PATH... [--unit SLUG] [--dry-run] [--json]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from layanan.accounts.actors import SYSTEM
from layanan.catalog.imports import import_documents
from layanan.core.models import Unit


class Command(BaseCommand):
    help = (
        "Import service standards from .txt/.md/.pdf/.docx documents (files or folders). "
        "Same content twice changes nothing; changed content becomes a new draft version."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="documents or folders of documents")
        parser.add_argument("--unit", help="slug of the unit the documents belong to")
        parser.add_argument("--dry-run", action="store_true", help="parse and report only")
        parser.add_argument("--json", action="store_true", help="print the parsed result as JSON")

    def handle(self, *args, **options):
        unit = None
        if options["unit"]:
            try:
                unit = Unit.objects.get(slug=options["unit"])
            except Unit.DoesNotExist as exc:
                raise CommandError(f"Unknown unit slug: {options['unit']}") from exc
        report = import_documents(
            options["paths"], unit=unit, actor=SYSTEM, dry_run=options["dry_run"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)
        if report.read_count == 0:
            raise CommandError("Nothing could be read.")

    def _print(self, report) -> None:
        prefix = "[dry run] " if report.dry_run else ""
        for error in report.errors:
            self.stderr.write(f"{prefix}✗ {error['source']}: {error['error']}")
        for o in report.outcomes:
            where = f"{o.unit}/{o.standard}" if o.standard else "(no unit)"
            version = f" v{o.version}" if o.version else ""
            self.stdout.write(f"{prefix}{o.action:<11} {where}{version} ← {', '.join(o.sources)}")
            if o.missing:
                self.stdout.write(f"    missing: {', '.join(o.missing)}")
            for issue in o.issues:
                self.stdout.write(f"    {issue['code']} [{issue['component']}]: {issue['message']}")
