"""The facility decision notice (*pemberitahuan penggunaan Sarana Prasarana kantor*): the
issued notice with its stored PDF, the unit's notice template and the notices' counter.
Imported by ``models.py`` so Django sees them. The template's validator lives here, beside it (its
``clean`` calls it); the rest of the logic is in ``notices.py``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import _attachment_path, _attachment_storage
from layanan.core.letter_models import EditedLetterTemplate, YearCounter
from layanan.core.letters import number_pattern_error, placeholder_errors
from layanan.core.models import Unit

#: The placeholders a notice's texts may use (``notices.py`` fills them).
NOTICE_PLACEHOLDERS = (
    "requester",
    "organisation",
    "letter_reference",
    "facility",
    "location",
    "schedule",
    "purpose",
    "participants",
    "reason",
    "unit",
    "case_number",
)


class NoticeDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class FacilityNoticeTemplate(EditedLetterTemplate):
    """The unit's own notice: number pattern, the text of an approval and of a refusal, the
    signatory. Plain text with ``{{ name }}`` placeholders from a fixed list — substituted and
    escaped, never evaluated as a template (as the audience reply letter, ``notices.py``)."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("unit"),
        related_name="facility_notice_template",
        on_delete=models.CASCADE,
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=100,
        default="{seq}/FAS/{unit}/{year}",
        help_text=_(
            "{seq}: the notice's sequence number in the year; {year}; {month}: the month in "
            "Roman numerals; {unit}: the unit's code. E.g. {seq}/FAS/{unit}/{year} gives "
            "007/FAS/UMUM/2026."
        ),
    )
    approved_body = models.TextField(
        _("text of an approval"),
        help_text=_("Paragraphs separated by an empty line. The rules of use follow the text."),
    )
    refused_body = models.TextField(
        _("text of a refusal"),
        help_text=_("Paragraphs separated by an empty line. Use {{ reason }} for the reason."),
    )

    class Meta:
        verbose_name = _("facility notice template")
        verbose_name_plural = _("facility notice templates")

    def clean(self):
        validate_notice_template(self)


class FacilityNoticeCounter(YearCounter):
    """The last notice number given per (unit, year); row-locked to stay gapless."""

    class Meta(YearCounter.Meta):
        pass


class FacilityNotice(models.Model):
    """One issued notice: its number, the frozen text and signatory, and the PDF as issued
    (stored privately once, served to staff who see the case and to the tracking code's
    holder). A booking has at most one: the decision is final."""

    booking = models.OneToOneField(
        "bookings.BookingDetail",
        verbose_name=_("facility booking"),
        related_name="notice",
        on_delete=models.CASCADE,
    )
    number = models.CharField(_("notice number"), max_length=100, unique=True)
    date = models.DateField(_("notice date"))
    decision = models.CharField(_("decision"), max_length=10, choices=NoticeDecision)
    body = models.TextField(_("notice text"))
    rules = models.TextField(_("rules of use"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    signatory_title = models.CharField(max_length=200)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_nip = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=100)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=_attachment_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("facility notice")
        verbose_name_plural = _("facility notices")
        ordering = ["-issued_at", "pk"]

    def __str__(self) -> str:
        return self.number


def validate_notice_template(template: FacilityNoticeTemplate) -> None:
    """Refuse unknown placeholders, template tags and number patterns that could repeat."""
    errors = {
        field: placeholder_errors(getattr(template, field), NOTICE_PLACEHOLDERS)
        for field in ("approved_body", "refused_body")
    }
    errors["number_pattern"] = number_pattern_error(template.number_pattern)
    errors = {field: error for field, error in errors.items() if error}
    if errors:
        raise ValidationError(errors)
