"""Reports store almost nothing: every figure is computed from the cases and survey tables when
asked. The one thing people write is the follow-up plan (*rencana tindak lanjut*) of an SKM
report: the head's text for one unit and one survey period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.models import Unit


class SkmFollowUp(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="skm_follow_ups", on_delete=models.CASCADE
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    text = models.TextField(_("follow-up plan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("SKM follow-up plan")
        verbose_name_plural = _("SKM follow-up plans")
        ordering = ["unit", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end"], name="skm_follow_up_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="skm_follow_up_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start}–{self.end}"
