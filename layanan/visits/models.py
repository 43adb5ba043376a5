"""Guest book and queue: a visit is a ``cases.Case`` (kind ``visit``, or ``consultation`` when
the service chosen is a consultation) with a ``VisitDetail`` one-to-one.

- ``Visitor``: the returning visitor, found by normalised phone number **within one unit** (a
  unit's staff cannot look up who visited another unit). Minimal data: phone, name, last origin.
- ``QueueCounter``: the last ticket given per unit, service and day, locked row by row like
  ``cases.CaseCounter`` so that tickets are gapless under concurrency.
- ``VisitDetail``: origin, purpose, the standard's requirements the visitor presented, the
  ticket, the four moments (arrived, called, first served, finished), the desk, the Bagian the
  consultation was routed to and the outcome.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.catalog.models import ServiceStandard
from layanan.core.models import TimeStampedModel, Unit

#: The administration time the walk-in standards promise ("Administrasi : 15 Menit"), used when
#: the visit's standard does not give one in minutes or hours.
DEFAULT_ADMIN_LIMIT = dt.timedelta(minutes=15)


class Visitor(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="visitors", on_delete=models.CASCADE
    )
    phone = models.CharField(_("phone"), max_length=20, help_text=_("E.164: +62…"))
    name = models.CharField(_("name"), max_length=150)
    origin = models.CharField(_("origin / institution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        constraints = [
            models.UniqueConstraint(fields=["unit", "phone"], name="visitor_unique_phone_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"


class QueueCounter(models.Model):
    """The last ticket given per (unit, service, day); ``service_key`` is the standard's id or 0
    for visits without a service (a NULL would not be unique)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    service_key = models.PositiveBigIntegerField(default=0)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "service_key", "day"], name="queue_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.service_key}/{self.day}: {self.last}"


class VisitDetail(models.Model):
    case = models.OneToOneField(
        Case, primary_key=True, related_name="visit", on_delete=models.CASCADE
    )
    visitor = models.ForeignKey(
        Visitor,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        related_name="visits",
        on_delete=models.SET_NULL,
    )
    origin = models.CharField(_("origin / institution"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"))
    requirements_checked = models.JSONField(_("requirements presented"), default=list, blank=True)
    queue_day = models.DateField(_("queue day"))
    queue_number = models.PositiveIntegerField(_("queue number"))
    ticket = models.CharField(_("ticket"), max_length=12)
    arrived_at = models.DateTimeField(_("arrived at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("first served at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    desk = models.CharField(_("desk"), max_length=40, blank=True)
    routed_to = models.ForeignKey(
        Unit,
        verbose_name=_("routed to"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # The standard the ticket was drawn for (0 in the counter when none); kept for the queue.
    service = models.ForeignKey(
        ServiceStandard,
        verbose_name=_("service"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["arrived_at"]
        indexes = [
            models.Index(fields=["queue_day", "called_at"], name="visit_day_called"),
            # The guest book: a range of days in the order of arrival.
            models.Index(fields=["queue_day", "arrived_at"], name="visit_day_arrived"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.queue_day}"

    def admin_limit(self) -> dt.timedelta:
        """The administration time the visit is held to: the standard's, when it is given in
        minutes or hours (the seeds: 15 minutes), else ``DEFAULT_ADMIN_LIMIT``."""
        case = self.case
        if case.sla_value and case.sla_unit == "minutes":
            return dt.timedelta(minutes=case.sla_value)
        if case.sla_value and case.sla_unit == "hours":
            return dt.timedelta(hours=case.sla_value)
        return DEFAULT_ADMIN_LIMIT

    def admin_time(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        """Arrival → first service; while waiting, arrival → ``now`` (the running clock).
        None for a visit that ended without being served."""
        if self.served_at is not None:
            return self.served_at - self.arrived_at
        if self.finished_at is not None or now is None:
            return None
        return max(now - self.arrived_at, dt.timedelta(0))

    def admin_time_exceeded(self, now: dt.datetime | None = None) -> bool:
        spent = self.admin_time(now)
        return spent is not None and spent > self.admin_limit()
