"""Days and times of requests scheduled ahead (facility bookings, audiences), relative to the
suite's clock: the Monday of a coming week, a time on a day in the current time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def next_monday(weeks: int = 1) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
