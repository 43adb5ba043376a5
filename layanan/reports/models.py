"""Reports store little: the current month's figures are computed from the cases and survey
tables when asked; a closed month's are stored once (``MonthSnapshot``) until a late correction
deletes them. The one thing people write is the follow-up plan (*rencana tindak lanjut*) of an
SKM report: the head's text for one unit and one survey period."""

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


class MonthSnapshot(models.Model):
    """The figures of one closed month for one unit (with its sub-units), stored once.

    ``data`` holds numbers, codes and stored names only (``summary.month_data``), never a text
    in some language or rendered HTML: pages, exports and the API label them when they read
    them. A row is written the first time a closed month is read (or by ``manage.py
    fill_report_snapshots`` / ``reports.tasks.fill_report_snapshots_task`` after the month
    ends) and deleted by any write that changes the month's figures (``reports/snapshots.py``);
    the next read recomputes it. The current month is never stored."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="+", on_delete=models.CASCADE
    )
    month = models.DateField(_("month (first day)"))
    data = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("monthly report snapshot")
        verbose_name_plural = _("monthly report snapshots")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="report_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"
