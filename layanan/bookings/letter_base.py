"""What every numbered document of a unit shares — the audience reply letter
(``audience_letters.py``) and the facility decision notice (``notices.py``): a template with a
number pattern and a signatory, a per-unit per-year gapless counter, and the checks of a
template's text (fixed ``{{ placeholder }}`` names, never template tags).

The facility notice is built on these; the reply letter predates them and has the same fields
and checks of its own (see docs/bookings.md).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.core.letters import next_in_year, number_pattern_is_valid
from layanan.core.models import TimeStampedModel, Unit

#: A placeholder in a letter text written by staff: ``{{ name }}``.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class SignedTemplate(TimeStampedModel):
    """A unit's document template: how its number is written, where and by whom it is signed,
    who changed it last. Subclasses add ``unit``, ``number_pattern`` and their texts."""

    seq_digits = models.PositiveSmallIntegerField(
        gettext_lazy("digits of the sequence number"),
        default=3,
        help_text=gettext_lazy("3 gives 005."),
    )
    city = models.CharField(gettext_lazy("place of signing"), max_length=100, default="Pontianak")
    signatory_title = models.CharField(gettext_lazy("signatory's position"), max_length=200)
    signatory_name = models.CharField(
        gettext_lazy("signatory's name"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Empty: the name of the unit's head in Layanan."),
    )
    signatory_nip = models.CharField(gettext_lazy("signatory's NIP"), max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("last changed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.unit)


class YearCounter(models.Model):
    """The last number given per (unit, year) of one kind of document."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="%(app_label)s_%(class)s_unit_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"

    @classmethod
    def take_next(cls, *, unit, year: int) -> int:
        """The next sequence number; gapless: the row stays locked (``SELECT … FOR UPDATE``)
        until the caller's transaction ends, so writers queue, and a rollback gives the number
        back. Must run inside that transaction."""
        return next_in_year(cls, unit=unit, year=year)


def placeholder_errors(text: str, allowed) -> str:
    """Why ``text`` is not a valid template text (template tags, unknown placeholders), or ""."""
    if "{%" in (text or ""):
        return _("Only placeholders like {{ topic }} are allowed, no template tags.")
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(text or "")} - set(allowed))
    if unknown:
        return _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
            "names": ", ".join("{{ " + n + " }}" for n in unknown),
            "allowed": ", ".join(allowed),
        }
    return ""


def number_pattern_error(pattern: str) -> str:
    """Why a number pattern could repeat a number (no ``{seq}`` or ``{year}``, unknown tokens)."""
    if not number_pattern_is_valid(pattern or ""):
        return _("The pattern needs {seq} and {year} and may also use {month} and {unit}.")
    return ""
