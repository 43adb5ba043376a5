"""manage.py ikm --unit SLUG [--service SLUG] [--from DATE --to DATE | --period SLUG] [--json]"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit
from layanan.surveys.ikm import ikm_compute, round_half_up
from layanan.surveys.models import SurveyPeriod
from layanan.surveys.scope import period_population


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from error


class Command(BaseCommand):
    help = (
        "Print the IKM (PermenPANRB 14/2017) of a unit (with its sub-units), optionally of one "
        "service and a date range: respondents, each element's NRR, the converted IKM, the "
        "quality grade and the unit's performance."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit slug")
        parser.add_argument("--service", help="service (standard) slug within the unit")
        parser.add_argument("--from", dest="start", help="first day answered, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day answered, YYYY-MM-DD")
        parser.add_argument("--period", help="survey period slug (instead of --from/--to)")
        parser.add_argument(
            "--population", type=int, help="people served (default: cases recorded in the range)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    @scopes_disabled()  # SYSTEM, run by the operator: the unit is an argument
    def handle(self, *args, **options):
        unit = Unit.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(_("Unknown unit: %(slug)s") % {"slug": options["unit"]})
        service = None
        if options["service"]:
            service = ServiceStandard.objects.filter(
                unit__path__startswith=unit.path, slug=options["service"]
            ).first()
            if service is None:
                raise CommandError(
                    _("Unknown service %(slug)s in %(unit)s")
                    % {"slug": options["service"], "unit": unit.display_name}
                )
        start = _date(options["start"]) if options["start"] else None
        end = _date(options["end"]) if options["end"] else None
        population = options["population"]
        if options["period"]:
            if start or end:
                raise CommandError(_("Give either --period or --from/--to, not both."))
            period = SurveyPeriod.objects.for_unit(unit).filter(slug=options["period"]).first()
            if period is None:
                raise CommandError(
                    _("Unknown survey period: %(slug)s") % {"slug": options["period"]}
                )
            start, end = period.start, period.end
            if population is None:
                population = period_population(period, unit, service)
        if start and end and start > end:
            raise CommandError(_("--from is after --to."))
        if population is not None and population < 0:
            raise CommandError(_("--population cannot be negative."))
        result = ikm_compute(
            unit=unit, service=service, start=start, end=end, population=population
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._print(result)

    def _print(self, result) -> None:
        title = result.unit.name
        if result.service is not None:
            title += f" — {result.service.name}"
        self.stdout.write(title)
        if result.start or result.end:
            self.stdout.write(
                _("Answered: %(start)s – %(end)s")
                % {
                    "start": result.start.isoformat() if result.start else "…",
                    "end": result.end.isoformat() if result.end else "…",
                }
            )
        self.stdout.write(_("Respondents: %(n)s") % {"n": result.respondents})
        for element in result.elements:
            self.stdout.write(
                f"  U{element.element.number} {element.element.name!s:<52} "
                f"NRR {round_half_up(element.nrr, 2)}  "
                f"({_('weighted')} {round_half_up(element.weighted, 4)})"
            )
        if result.respondents:
            self.stdout.write(
                _("IKM: %(ikm)s; converted: %(converted)s")
                % {"ikm": round_half_up(result.ikm, 4), "converted": result.converted}
            )
            self.stdout.write(
                _("Service quality: %(grade)s; unit performance: %(performance)s")
                % {"grade": result.grade, "performance": result.performance}
            )
        if result.min_sample is not None:
            self.stdout.write(
                _("People served: %(population)s; minimum sample (Krejcie–Morgan): %(minimum)s")
                % {"population": result.population, "minimum": result.min_sample}
            )
        for warning in result.warnings:
            self.stderr.write(_("Warning: %(text)s") % {"text": warning})
