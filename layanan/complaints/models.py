"""Complaint-specific fields of a case (one-to-one with ``cases.Case``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.core.letter_models import LetterTemplate, YearCounter, unit_year_unique
from layanan.core.letters import number_pattern_error
from layanan.core.models import Unit
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


class AnswerLetterTemplate(LetterTemplate):
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
    subject = models.CharField(_("subject"), max_length=300, default="Jawaban Pengaduan")

    class Meta:
        verbose_name = _("complaint answer letter template")
        verbose_name_plural = _("complaint answer letter templates")

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.number_pattern}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        error = number_pattern_error(self.number_pattern)
        if error:
            raise ValidationError({"number_pattern": error})


class AnswerLetterCounter(YearCounter):
    """The last answer letter number given per (unit, year); row-locked to stay gapless."""

    class Meta:
        constraints = [unit_year_unique("answer_letter_counter_unique")]
