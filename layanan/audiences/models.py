"""Audience requests (audiensi): the detail of a ``Case`` of kind ``audience``, the unit's reply
letter template (with its validator, which its ``clean`` calls) and the reply letters' counter.

The tables keep the names they had in the ``bookings`` app (``db_table``): the split of issue 21
moved the code and Django's state, not the data (see ``apps.py``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.core.letter_models import EditedLetterTemplate, YearCounter, unit_year_unique
from layanan.core.letters import number_pattern_error, placeholder_errors
from layanan.core.models import Unit

#: The placeholders a reply letter's text may use (``letters.py`` fills them).
PLACEHOLDERS = (
    "organisation",
    "contact",
    "topic",
    "letter_number",
    "letter_date",
    "reference",
    "schedule",
    "place",
    "official",
    "participants",
    "unit",
    "case_number",
)


class AudienceDetail(models.Model):
    """What the requester asked for, the head's disposition, the proposed schedule and the
    reply letter. Who did what and when is also on the case's timeline (``CaseEvent``)."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), related_name="audience", on_delete=models.CASCADE
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    topic = models.TextField(_("topic"))
    preferred_date_1 = models.DateField(_("preferred date"))
    preferred_date_2 = models.DateField(_("second choice"), null=True, blank=True)
    preferred_date_3 = models.DateField(_("third choice"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"))
    official_requested = models.CharField(_("official requested"), max_length=200, blank=True)
    letter_number = models.CharField(_("number of the request letter"), max_length=100, blank=True)
    letter_date = models.DateField(_("date of the request letter"), null=True, blank=True)

    # Disposition (disposisi) by the head of unit: to a division, with an instruction.
    instruction = models.TextField(_("instruction"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disposition by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    disposed_at = models.DateTimeField(_("disposition at"), null=True, blank=True)

    # The schedule the division proposes with the official.
    schedule_starts_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    schedule_place = models.CharField(_("place"), max_length=200, blank=True)
    schedule_official = models.CharField(_("received by"), max_length=200, blank=True)
    official_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official's account"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text=_("Who gets the reminder the working day before; empty: whoever scheduled."),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("schedule proposed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    scheduled_at = models.DateTimeField(_("schedule proposed at"), null=True, blank=True)

    # The reply letter (surat balasan), frozen when issued so a reprint is the same letter.
    reply_number = models.CharField(_("reply letter number"), max_length=100, blank=True)
    reply_date = models.DateField(_("reply letter date"), null=True, blank=True)
    reply_subject = models.CharField(_("subject of the reply"), max_length=300, blank=True)
    reply_body = models.TextField(_("reply letter text"), blank=True)
    reply_signatory_title = models.CharField(max_length=200, blank=True)
    reply_signatory_name = models.CharField(max_length=200, blank=True)
    reply_signatory_nip = models.CharField(max_length=40, blank=True)
    reply_city = models.CharField(max_length=100, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply issued by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    replied_at = models.DateTimeField(_("reply issued at"), null=True, blank=True)

    class Meta:
        db_table = "bookings_audiencedetail"
        verbose_name = _("audience request")
        verbose_name_plural = _("audience requests")
        constraints = [
            models.UniqueConstraint(
                fields=["reply_number"],
                condition=~models.Q(reply_number=""),
                name="audience_unique_reply_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.organisation}"

    @property
    def has_letter_file(self) -> bool:
        """Whether the request letter came as a file (the web form's upload, the staff's scan)."""
        if "_has_letter_file" not in self.__dict__:
            self.__dict__["_has_letter_file"] = self.case.attachments.filter(
                is_internal=False
            ).exists()
        return self.__dict__["_has_letter_file"]

    @property
    def preferred_dates(self) -> list:
        return [
            d
            for d in (self.preferred_date_1, self.preferred_date_2, self.preferred_date_3)
            if d is not None
        ]


class ReplyLetterTemplate(EditedLetterTemplate):
    """The unit's own reply letter: number pattern, subject, body with placeholders, signatory.

    The body is plain text; ``{{ name }}`` placeholders are substituted (escaped) from a fixed
    list — never evaluated as a template (see ``letters.py``).
    """

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), related_name="reply_letter_template", on_delete=models.CASCADE
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=100,
        default="{seq}/AUD/{unit}/{year}",
        help_text=_(
            "{seq}: the letter's sequence number in the year; {year}; {month}: the month in Roman "
            "numerals; {unit}: the unit's code. E.g. {seq}/123/{unit}/{year} gives "
            "005/123/KESRA/2026."
        ),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("letter text"),
        help_text=_(
            "Paragraphs separated by an empty line. Placeholders: {{ organisation }}, "
            "{{ contact }}, {{ topic }}, {{ letter_number }}, {{ letter_date }}, "
            "{{ schedule }}, {{ place }}, {{ official }}, {{ participants }}, {{ unit }}, "
            "{{ case_number }}."
        ),
    )

    class Meta:
        db_table = "bookings_replylettertemplate"
        verbose_name = _("reply letter template")
        verbose_name_plural = _("reply letter templates")

    def clean(self):
        validate_template(self)


class ReplyLetterCounter(YearCounter):
    """The last reply letter number given per (unit, year); row-locked to stay gapless."""

    class Meta:
        db_table = "bookings_replylettercounter"
        constraints = [unit_year_unique("reply_counter_unique")]


def validate_template(template: ReplyLetterTemplate) -> None:
    """Refuse unknown placeholders and number patterns that could repeat a number."""
    errors = {
        "body": placeholder_errors(template.body, PLACEHOLDERS),
        "number_pattern": number_pattern_error(template.number_pattern),
    }
    errors = {field: error for field, error in errors.items() if error}
    if errors:
        raise ValidationError(errors)
