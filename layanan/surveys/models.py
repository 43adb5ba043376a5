"""Satisfaction survey (SKM, PermenPANRB 14/2017): periods, responses, invitations.

A ``SurveyResponse`` is one filled-in questionnaire: the nine answers (``u1`` … ``u9``, 1–4,
checked by the database), the respondent profile and a comment. It belongs to the unit and the
service it rates; one that came through an invitation also points at the case (at most one
response per case, a unique constraint) — only so that the case can be answered once: results
are aggregates and never say who answered.

The day the questionnaire was answered (``answered_on``) is what periods and date ranges filter
on; a ``SurveyPeriod`` is only a named date range (a semester, a year) for one unit or for all.
An administrator makes periods in the admin; ``periods.py`` also makes them (``auto``) from the
cadence of the unit's standards, and ``reminders.py`` records each reminder it sent to the
head about a period (``SurveyPeriodReminder``, one per period and kind).
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.catalog.models import ServiceStandard
from layanan.core.models import TimeStampedModel, Unit

from .questionnaire import ELEMENTS, SCALE, Education, Gender, Occupation


class SurveyPeriodQuerySet(models.QuerySet):
    def for_unit(self, unit: Unit) -> SurveyPeriodQuerySet:
        """Periods that apply to ``unit``: global ones and those of the unit or an ancestor."""
        ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
        return self.filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))

    def started(self, today=None) -> SurveyPeriodQuerySet:
        return self.filter(start__lte=today or timezone.localdate())


class SurveyPeriod(TimeStampedModel):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="survey_periods",
        on_delete=models.CASCADE,
        help_text=_("Leave empty for a period that applies to every unit."),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. Semester I 2026"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    population = models.PositiveIntegerField(
        _("people served"),
        null=True,
        blank=True,
        help_text=_(
            "Number of people served in the period, for the minimum sample size. When empty, "
            "the cases recorded in the period are counted."
        ),
    )
    auto = models.BooleanField(
        _("made automatically"),
        default=False,
        editable=False,
        help_text=_(
            "Made from the survey cadence of the unit's standards. Saving it in the admin makes "
            "it the administrator's own: it is then never moved or removed automatically."
        ),
    )

    objects = SurveyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="survey_period_order")
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day) -> bool:
        return self.start <= day <= self.end


class ResponseChannel(models.TextChoices):
    INVITATION = "invitation", _("Link sent after the case closed")
    KIOSK = "kiosk", _("Kiosk")
    IMPORT = "import", _("Imported file")
    PAPER = "paper", _("Entered by staff")


def _answer_field(number: int) -> models.PositiveSmallIntegerField:
    element = ELEMENTS[number - 1]
    return models.PositiveSmallIntegerField(
        element.name, validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[-1])]
    )


class SurveyResponse(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="survey_responses", on_delete=models.PROTECT
    )
    service = models.ForeignKey(
        ServiceStandard,
        verbose_name=_("service"),
        null=True,
        blank=True,
        related_name="survey_responses",
        on_delete=models.PROTECT,
    )
    # Only to allow one response per case; never shown with the answers.
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        related_name="survey_response",
        on_delete=models.SET_NULL,
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ResponseChannel)
    answered_on = models.DateField(_("date answered"), default=timezone.localdate)

    u1 = _answer_field(1)
    u2 = _answer_field(2)
    u3 = _answer_field(3)
    u4 = _answer_field(4)
    u5 = _answer_field(5)
    u6 = _answer_field(6)
    u7 = _answer_field(7)
    u8 = _answer_field(8)
    u9 = _answer_field(9)

    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    age = models.PositiveSmallIntegerField(
        _("age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
    )
    education = models.CharField(_("education"), max_length=10, choices=Education, blank=True)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation, blank=True)
    comment = models.TextField(_("suggestions"), blank=True)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "answered_on"], name="survey_unit_answered"),
            models.Index(fields=["service", "answered_on"], name="survey_service_answered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{e.field}__gte": SCALE[0], f"{e.field}__lte": SCALE[-1]}),
                name=f"survey_{e.field}_on_scale",
            )
            for e in ELEMENTS
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.answered_on:%Y-%m-%d}"

    def answers(self) -> list[int]:
        return [getattr(self, e.field) for e in ELEMENTS]


def new_invitation_token() -> str:
    """32 URL-safe characters, 192 random bits."""
    return secrets.token_urlsafe(24)


class SurveyInvitation(TimeStampedModel):
    """The link sent to a requester when their case closes. The token is the only key: it is
    long and random, and dies once used (one response per case) or when it expires."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        related_name="survey_invitation",
        on_delete=models.CASCADE,
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class ReminderKind(models.TextChoices):
    OPENED = "opened", _("The period has opened")
    SAMPLE = "sample", _("Sample checked one month before the end")
    CLOSED = "closed", _("The period has closed")


class SurveyPeriodReminder(models.Model):
    """One reminder about a period to the head(s) of its unit, recorded once (``reminders.py``).

    The sample check is recorded even when the sample was large enough (``queued`` = 0): it is
    done once, one month before the period ends, and the record says what was found."""

    period = models.ForeignKey(
        SurveyPeriod,
        verbose_name=_("survey period"),
        related_name="reminders",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("reminder"), max_length=10, choices=ReminderKind)
    at = models.DateTimeField(_("at"), default=timezone.now)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    min_sample = models.PositiveIntegerField(_("minimum sample"), null=True, blank=True)
    ikm = models.DecimalField(
        _("converted IKM"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    queued = models.PositiveSmallIntegerField(_("e-mails queued"), default=0)

    class Meta:
        verbose_name = _("survey period reminder")
        verbose_name_plural = _("survey period reminders")
        ordering = ["period", "at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="survey_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.get_kind_display()}"
