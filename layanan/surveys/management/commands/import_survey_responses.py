"""manage.py import_survey_responses FILE --unit SLUG [--service SLUG] [--period SLUG]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.surveys.imports import survey_file_read
from layanan.surveys.models import SurveyPeriod
from layanan.surveys.services import survey_responses_import


class Command(BaseCommand):
    help = (
        "Import filled-in SKM questionnaires from a CSV or XLSX file: columns u1…u9 (1–4) and "
        "optionally tanggal, jenis_kelamin, umur, pendidikan, pekerjaan, saran. A file with any "
        "bad row imports nothing; every bad row is listed with its row number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".csv or .xlsx file, header in the first row")
        parser.add_argument("--unit", required=True, help="slug of the unit surveyed")
        parser.add_argument("--service", help="slug of the service (a standard of the unit)")
        parser.add_argument("--period", help="slug of the survey period; dates must fall inside it")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    @scopes_disabled()  # SYSTEM, run by the operator: cases of any unit
    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        unit = Unit.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(_("Unknown unit: %(slug)s") % {"slug": options["unit"]})
        service = _service(options["service"], unit)
        period = _period(options["period"])
        try:
            report = survey_file_read(path, unit=unit, service=service, period=period)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if report.ignored_columns:
            self.stderr.write(
                _("Ignored column(s): %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        if report.errors:
            for number, reason in report.errors:
                self.stderr.write(_("Row %(row)s: %(reason)s") % {"row": number, "reason": reason})
            raise CommandError(
                _("%(count)s bad row(s) in %(name)s: nothing was imported.")
                % {"count": len(report.errors), "name": path.name}
            )
        if not report.responses:
            raise CommandError(_("No responses in %(name)s.") % {"name": path.name})
        if options["dry_run"]:
            self.stdout.write(
                _("%(count)s response(s) checked, none imported (dry run).")
                % {"count": len(report.responses)}
            )
            return
        count = survey_responses_import(responses=report.responses)
        self.stdout.write(
            _("%(count)s response(s) imported for %(unit)s.")
            % {"count": count, "unit": unit.display_name}
        )


def _service(slug: str | None, unit: Unit) -> ServiceStandard | None:
    """The standard ``slug`` of ``unit`` or a unit below it (None: no ``--service`` given)."""
    if not slug:
        return None
    service = (
        ServiceStandard.objects.filter(unit__path__startswith=unit.path, slug=slug)
        .select_related("unit")
        .first()
    )
    if service is None:
        raise CommandError(
            _("Unknown service %(slug)s in %(unit)s") % {"slug": slug, "unit": unit.display_name}
        )
    return service


def _period(slug: str | None) -> SurveyPeriod | None:
    """The survey period ``slug`` (None: no ``--period`` given)."""
    if not slug:
        return None
    period = SurveyPeriod.objects.filter(slug=slug).first()
    if period is None:
        raise CommandError(_("Unknown survey period: %(slug)s") % {"slug": slug})
    return period
