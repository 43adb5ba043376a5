"""How a booking's time reads in messages, errors and pages: ``Sen 2 Feb 2026 09.00–11.00``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def format_moment(moment: dt.datetime) -> str:
    """``Sen 2 Feb 2026 09.00`` in the office time zone and the active language."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'D j M Y')} {local:%H.%M}"


def format_range(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """``Sen 2 Feb 2026 09.00–11.00``, or both ends in full when they are on different days."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{format_moment(starts_at)}–{end:%H.%M}"
    return f"{format_moment(starts_at)} – {format_moment(ends_at)}"
