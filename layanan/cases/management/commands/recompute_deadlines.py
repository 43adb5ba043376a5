"""manage.py recompute_deadlines [--all]"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from layanan.cases.recompute import calendar_recompute_run
from layanan.workdays.models import CalendarRecompute, RecomputeStatus


class Command(BaseCommand):
    help = (
        "Carry out the deadline recomputations that calendar changes left waiting or that "
        "failed (normally the task worker does them), or with --all recompute every running "
        "case against the calendar as it stands."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Record and run one recomputation of every running case.",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: every unit's cases
    def handle(self, *args, **options):
        if options["all"]:
            # Recorded directly (no task enqueued): this command carries it out itself.
            with translation.override(settings.LANGUAGE_CODE):
                run = CalendarRecompute.objects.create(reason=_("working-day calendar revised"))
            pending = [run.pk]
        else:
            pending = list(
                CalendarRecompute.objects.filter(
                    status__in=[RecomputeStatus.PENDING, RecomputeStatus.FAILED]
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        for run_id in pending:
            run = calendar_recompute_run(run_id=run_id)
            self.stdout.write(
                f"#{run.pk} {run.reason}: {run.cases_checked} running cases checked, "
                f"{run.cases_moved} moved"
            )
        if not pending:
            self.stdout.write("No recomputation waiting.")
