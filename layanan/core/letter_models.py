"""The abstract models every numbered document of a unit is built on — the audience reply letter
(``audiences.ReplyLetterTemplate``/``ReplyLetterCounter``), the facility decision notice
(``bookings.FacilityNoticeTemplate``/``FacilityNoticeCounter``) and the complaint answer letter
(``complaints.AnswerLetterTemplate``/``AnswerLetterCounter``): a template with a number pattern
and a signatory, and a per-unit per-year gapless counter.

Concrete models add ``unit`` (a one-to-one with its own ``related_name``), ``number_pattern``
(its own default and help) and their texts. The tables and columns are those the concrete
models had before these bases existed; a counter keeps the name of its uniqueness constraint
(:func:`unit_year_unique`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from .letters import format_letter_number, next_in_year
from .models import TimeStampedModel, Unit


class LetterTemplate(TimeStampedModel):
    """A unit's document template: how its number is written, where and by whom it is signed.
    Subclasses add ``unit``, ``number_pattern`` and their texts."""

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

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.unit)

    @classmethod
    def for_unit(cls, unit, **defaults):
        """The unit's template, or an unsaved default one with ``defaults`` (the head of the
        unit signs)."""
        template = cls.objects.filter(unit=unit).first()
        if template is None:
            template = cls(unit=unit, signatory_title=f"Kepala {unit.name}", **defaults)
        return template

    def format_number(self, *, seq: int, on: dt.date) -> str:
        """The document number ``seq`` of a document dated ``on``, written by the pattern."""
        return format_letter_number(
            self.number_pattern, seq=seq, digits=self.seq_digits, on=on, unit=self.unit
        )


class EditedLetterTemplate(LetterTemplate):
    """A template that staff edit on their pages or in the admin, which remembers who changed it
    last (``LetterTemplateAdmin`` sets it)."""

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


def unit_year_unique(name: str) -> models.UniqueConstraint:
    """One counter row per (unit, year), under the constraint name ``name``."""
    return models.UniqueConstraint(fields=["unit", "year"], name=name)


class YearCounter(models.Model):
    """The last number given per (unit, year) of one kind of document; row-locked to stay
    gapless."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [unit_year_unique("%(app_label)s_%(class)s_unit_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"

    @classmethod
    def take_next(cls, *, unit, year: int) -> int:
        """The next sequence number; gapless: the row stays locked (``SELECT … FOR UPDATE``)
        until the caller's transaction ends, so writers queue, and a rollback gives the number
        back. Must run inside that transaction."""
        return next_in_year(cls, unit=unit, year=year)

    @classmethod
    def peek_next(cls, *, unit, year: int) -> int:
        """The number the next document of ``unit`` in ``year`` would get (not taken)."""
        last = cls.objects.filter(unit=unit, year=year).values_list("last", flat=True).first()
        return (last or 0) + 1
