"""Facility requests (fasilitasi sarana prasarana): resources and their bookings.

A facility request is a ``cases.Case`` of kind ``facility``; ``BookingDetail`` is its
one-to-one detail (resource, time range, state of the decision). Time ranges are half-open,
``[starts_at, ends_at)``, so back-to-back bookings do not overlap.

No two *approved* bookings of one resource may overlap. On PostgreSQL an exclusion constraint
(``EXCLUDE USING gist (resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE
state = 'approved'``) is the final guard; on every database ``services.booking_approve`` checks
under a lock on the resource row and names the conflicting booking (see docs/bookings.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.core.models import TimeStampedModel, Unit

from .constraints import PostgresExclusionConstraint


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Meeting room")
    HALL = "hall", _("Hall")
    VEHICLE = "vehicle", _("Vehicle")
    EQUIPMENT = "equipment", _("Equipment")


class Resource(TimeStampedModel):
    """Something an office lends: a meeting room, a hall, a vehicle, a piece of equipment."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="resources", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("People it holds or carries; leave empty for equipment."),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    rules = models.TextField(
        _("rules of use"), blank=True, help_text=_("Shown to the public on the request form.")
    )
    is_active = models.BooleanField(
        _("accepts requests"),
        default=True,
        help_text=_("Inactive resources keep their bookings but take no new requests."),
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="resource_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class BookingState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    USED = "used", _("Used")
    NOT_USED = "not_used", _("Not used")


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class BookingDetail(models.Model):
    case = models.OneToOneField(
        Case, verbose_name=_("case"), related_name="booking", on_delete=models.CASCADE
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), related_name="bookings", on_delete=models.PROTECT
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    purpose = models.TextField(_("purpose"))
    organisation = models.CharField(_("organiser"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=BookingState, default=BookingState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The request letter (surat permohonan) when it came on paper; its scan is an attachment.
    letter_number = models.CharField(_("number of the request letter"), max_length=100, blank=True)
    letter_date = models.DateField(_("date of the request letter"), null=True, blank=True)

    class Meta:
        verbose_name = _("facility booking")
        verbose_name_plural = _("facility bookings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["resource", "state", "starts_at"], name="booking_resource_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            PostgresExclusionConstraint(
                name="booking_no_overlapping_approval",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("resource", RangeOperators.EQUAL),
                ],
                condition=Q(state="approved"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.resource}"

    @property
    def is_pending(self) -> bool:
        return self.state == BookingState.REQUESTED

    @property
    def has_letter_file(self) -> bool:
        """Whether the request letter came as a file (the web form's upload, the staff's scan):
        the notice then refers to "surat Saudara" (``core.letters.request_reference``)."""
        if "_has_letter_file" not in self.__dict__:
            self.__dict__["_has_letter_file"] = self.case.attachments.filter(
                is_internal=False
            ).exists()
        return self.__dict__["_has_letter_file"]


from .notice_models import (  # noqa: E402,F401  (the decision notice lives in its own module)
    FacilityNotice,
    FacilityNoticeCounter,
    FacilityNoticeTemplate,
)
