"""Complaint-specific fields of a case (one-to-one with ``cases.Case``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.core.models import TimeStampedModel, Unit
from layanan.core.scoping import unit_scoped_manager


class ComplaintDetail(models.Model):
    case = models.OneToOneField(
        Case, related_name="complaint", on_delete=models.CASCADE, primary_key=True
    )
    # The class as the unit's standard names it (codes: ringan, normatif, …); blank until the
    # complaint officer classifies it.
    class_code = models.SlugField(_("complaint class"), max_length=60, blank=True)
    class_name = models.CharField(_("complaint class name"), max_length=200, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    lapor_number = models.CharField(
        _("SP4N-LAPOR! tracking number"), max_length=40, blank=True, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    # The numbered answer letter (surat jawaban) of a written complaint, when the officer
    # issued one with the answer: frozen here so a reprint is the same letter.
    letter_number = models.CharField(_("answer letter number"), max_length=100, blank=True)
    letter_date = models.DateField(_("answer letter date"), null=True, blank=True)
    letter_city = models.CharField(_("place of signing"), max_length=100, blank=True)
    letter_subject = models.CharField(_("answer letter subject"), max_length=300, blank=True)
    letter_signatory_title = models.CharField(_("signatory's position"), max_length=200, blank=True)
    letter_signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    letter_signatory_nip = models.CharField(_("signatory's NIP"), max_length=40, blank=True)

    # Queries outside a unit scope raise ScopeError (layanan/core/scoping.py).
    objects = unit_scoped_manager("case__unit", "case__assigned_unit")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def is_classified(self) -> bool:
        return bool(self.class_code)


class AnswerLetterTemplate(TimeStampedModel):
    """How a unit writes the answer letters of written complaints: number pattern, subject,
    place and signatory. The letter's text is the complaint's answer itself."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("unit"),
        related_name="answer_letter_template",
        on_delete=models.CASCADE,
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=100,
        default="{seq}/ADU/{unit}/{year}",
        help_text=_(
            "{seq}: the letter's sequence number in the year; {year}; {month}: the month in Roman "
            "numerals; {unit}: the unit's code."
        ),
    )
    seq_digits = models.PositiveSmallIntegerField(
        _("digits of the sequence number"), default=3, help_text=_("3 gives 005.")
    )
    city = models.CharField(_("place of signing"), max_length=100, default="Pontianak")
    subject = models.CharField(_("subject"), max_length=300, default="Jawaban Pengaduan")
    signatory_title = models.CharField(_("signatory's position"), max_length=200)
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the name of the unit's head in Layanan."),
    )
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("complaint answer letter template")
        verbose_name_plural = _("complaint answer letter templates")

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.number_pattern}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from layanan.core.letters import number_pattern_is_valid

        if not number_pattern_is_valid(self.number_pattern):
            raise ValidationError(
                {
                    "number_pattern": _(
                        "The pattern needs {seq} and {year} and may also use {month} and {unit}."
                    )
                }
            )


class AnswerLetterCounter(models.Model):
    """The last answer letter number given per (unit, year); row-locked to stay gapless."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="answer_letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"
