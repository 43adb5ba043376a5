"""Performance evaluation of a unit ("Evaluasi Kinerja Pelaksana" of its service standards).

- ``EvaluationMeeting``: the evaluation meeting the standards promise ("rapat … minimal 1 kali
  dalam 1 bulan"). One row per unit, month and sequence number (a cadence of two a month gives
  sequences 1 and 2). A placeholder is created ahead by ``manage.py schedule_evaluation_meetings``
  with a planned day; the head then records it: the day it was held, who attended (people of the
  unit), the minutes and the decisions.
- ``FollowUpAction``: an action agreed at a meeting, with its owner (a person of the unit), a
  due date and a status. An action stays with the meeting that agreed it; later meetings *show*
  it as carried over while it is open (read, never copied), until it is marked done.
- ``Reprimand``: the register of sanctions the service guarantee names (*teguran lisan*,
  *teguran tertulis*): which officer, which kind, when, the breach of the standard (optionally
  the cases concerned) and who gave it. Append-only, read by the head, the auditor and the officer
  concerned only (``accounts/permissions.py``, ``evaluation/selectors.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layanan.core.models import TimeStampedModel, Unit


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class EvaluationMeeting(TimeStampedModel):
    #: Not stored: the actions carried over to this meeting, set by evaluation.selectors.
    carried: list[FollowUpAction]

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        related_name="evaluation_meetings",
        on_delete=models.PROTECT,
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month evaluated."))
    sequence = models.PositiveSmallIntegerField(_("meeting of the month"), default=1)
    planned_on = models.DateField(_("planned for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendees"),
        related_name="evaluation_meetings_attended",
        blank=True,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("evaluation meeting")
        verbose_name_plural = _("evaluation meetings")
        ordering = ["unit", "-month", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "sequence"], name="evaluation_meeting_unique_per_month"
            )
        ]

    def __str__(self) -> str:
        label = f"{self.unit.display_name} {self.month:%Y-%m}"
        return label if self.sequence == 1 else f"{label} ({self.sequence})"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:meeting", args=[self.pk])

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUpAction(TimeStampedModel):
    meeting = models.ForeignKey(
        EvaluationMeeting,
        verbose_name=_("agreed at"),
        related_name="actions",
        on_delete=models.CASCADE,
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        related_name="evaluation_actions",
        on_delete=models.PROTECT,
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:80]


class ReprimandKind(models.TextChoices):
    ORAL = "oral", _("Oral reprimand (teguran lisan)")
    WRITTEN = "written", _("Written reprimand (teguran tertulis)")


class Reprimand(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="reprimands", on_delete=models.PROTECT
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        related_name="reprimands",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReprimandKind)
    given_on = models.DateField(_("date"))
    breach = models.TextField(_("breach of the service standard"))
    # Numbers of the unit's cases concerned, checked when written; kept as the numbers (the
    # register is read by the officer, whose unit scope may not reach every case).
    case_numbers = models.JSONField(_("cases concerned"), default=list, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("reprimand")
        verbose_name_plural = _("reprimands")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["unit", "-given_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%Y-%m-%d}"
