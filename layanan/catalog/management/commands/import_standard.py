"""manage.py import_standard PATH... [--unit SLUG | --create-units [--parent SLUG]] [--dry-run]
[--json]"""

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
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="create a unit for an agency named in a letterhead that is not yet a unit",
        )
        parser.add_argument("--parent", help="slug of the unit the created units go under")
        parser.add_argument("--dry-run", action="store_true", help="parse and report only")
        parser.add_argument("--json", action="store_true", help="print the parsed result as JSON")

    def handle(self, *args, **options):
        unit = self._unit(options["unit"])
        parent = self._unit(options["parent"])
        if options["unit"] and options["create_units"]:
            raise CommandError("Use either --unit or --create-units, not both.")
        if parent is not None and not options["create_units"]:
            raise CommandError("--parent only applies with --create-units.")
        report = import_documents(
            options["paths"],
            unit=unit,
            actor=SYSTEM,
            dry_run=options["dry_run"],
            create_units=options["create_units"],
            parent=parent,
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)
        if report.read_count == 0:
            raise CommandError("Nothing could be read.")

    def _unit(self, slug: str | None) -> Unit | None:
        if not slug:
            return None
        try:
            return Unit.objects.get(slug=slug)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"Unknown unit slug: {slug}") from exc

    def _print(self, report) -> None:
        prefix = "[dry run] " if report.dry_run else ""
        for error in report.errors:
            self.stderr.write(f"{prefix}✗ {error['source']}: {error['error']}")
        for created in report.created_units:
            under = f" under {created['parent']}" if created["parent"] else ""
            self.stdout.write(
                f"{prefix}unit created {created['slug']} ({created['name']}){under} "
                f"← {created['source']}"
            )
        for o in report.outcomes:
            where = f"{o.unit}/{o.standard}" if o.standard else "(no unit)"
            version = f" v{o.version}" if o.version else ""
            self.stdout.write(f"{prefix}{o.action:<11} {where}{version} ← {', '.join(o.sources)}")
            if o.missing:
                self.stdout.write(f"    missing: {', '.join(o.missing)}")
            for issue in o.issues:
                self.stdout.write(f"    {issue['code']} [{issue['component']}]: {issue['message']}")
