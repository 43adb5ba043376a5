# Placeholder until the Indonesian duration parser lands (same public names).
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


@dataclass(frozen=True)
class Duration:
    value: int | None
    unit: str | None
    text: str
    label: str = ""
    ambiguous: bool = False
