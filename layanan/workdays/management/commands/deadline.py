"""manage.py deadline START DURATION [--unit SLUG]

Prints the due time as ISO 8601 with offset, e.g.::

    $ manage.py deadline 2026-03-11T10:00 "5 hari kerja"
    2026-03-25T16:00:00+07:00

START without an offset is local time (settings.TIME_ZONE, Asia/Pontianak). DURATION is read by
the Indonesian parser (``layanan.workdays.durations.parse_duration``); the machine form
``"5 working_days"`` (minutes, hours, working_days, calendar_days) is always understood.
Holidays come from the database: when a year involved has no rows, a warning goes to stderr and
the deadline is still computed with weekends and office hours only (run sync_holidays first); a
year with estimated dates not yet confirmed against the decree is warned about too.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from layanan.core.models import Unit
from layanan.workdays.deadlines import Calendar, deadline, format_due
from layanan.workdays.durations import Duration, DurationUnit
from layanan.workdays.selectors import year_gaps

MACHINE_FORM = re.compile(r"^\s*(\d+)\s+(" + "|".join(DurationUnit.values) + r")\s*$")


def read_duration(text: str) -> Duration:
    match = MACHINE_FORM.match(text)
    if match:
        return Duration(value=int(match.group(1)), unit=match.group(2), text=text)
    try:
        from layanan.workdays.durations import parse_duration
    except ImportError:
        raise CommandError(
            f"Cannot read {text!r}: the Indonesian duration parser is not installed yet; "
            f"use the form '5 working_days' ({', '.join(DurationUnit.values)})"
        ) from None
    return parse_duration(text)


def read_start(text: str) -> dt.datetime:
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"START must be ISO 8601, e.g. 2026-03-11T10:00: {text!r}") from None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    return start


class Command(BaseCommand):
    help = "Compute when something received at START with DURATION is due."

    def add_arguments(self, parser):
        parser.add_argument("start", help="receipt time, ISO 8601 (local time without offset)")
        parser.add_argument("duration", help='e.g. "5 hari kerja", "3 jam", "5 working_days"')
        parser.add_argument("--unit", help="slug of the unit whose office hours apply")

    def handle(self, *args, **options):
        start = read_start(options["start"])
        duration = read_duration(options["duration"])
        unit = None
        if options["unit"]:
            try:
                unit = Unit.objects.get(slug=options["unit"])
            except Unit.DoesNotExist:
                raise CommandError(f"Unknown unit slug: {options['unit']}") from None
        calendar = Calendar.for_unit(unit)
        due = deadline(start, duration, calendar=calendar)
        # The same gaps staff see in the banner and /healthz (workdays/selectors.py).
        last_year = calendar.local(due).year if due is not None else calendar.local(start).year
        for gap in year_gaps(range(calendar.local(start).year, last_year + 1)):
            self.stderr.write(f"Warning: {gap.describe()}")
        if due is None:
            self.stderr.write(f"No deadline: {duration.text!r} has no measurable duration.")
            return
        self.stdout.write(due.isoformat())
        if options["verbosity"] >= 2:
            self.stderr.write(format_due(due))
