"""The case spine: every interaction (visit, consultation, audience, facility, complaint) is a
``Case`` row; kind-specific fields live in one-to-one detail tables owned by their apps.

Every state change writes a ``CaseEvent`` in the same transaction (see ``workflow.py``).
Numbers are gapless per unit, kind and year (``CaseCounter``, row-locked); public codes are
random and unguessable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.catalog.models import ServiceStandard, StandardVersion
from layanan.core.models import TimeStampedModel, Unit
from layanan.core.scoping import unit_scoped_manager
from layanan.workdays.durations import Duration, DurationUnit


def _attachment_storage():
    """Attachments' storage: ``STORAGES["attachments"]`` (private, outside the web root)."""
    from django.core.files.storage import storages

    return storages["attachments"]


class CaseKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CONSULTATION = "consultation", _("Consultation")
    AUDIENCE = "audience", _("Audience request")
    FACILITY = "facility", _("Facility request")
    COMPLAINT = "complaint", _("Complaint")


# Short codes used in case numbers: KESRA/ADU/2026/000123
KIND_CODES = {
    CaseKind.VISIT: "TAMU",
    CaseKind.CONSULTATION: "KONS",
    CaseKind.AUDIENCE: "AUD",
    CaseKind.FACILITY: "FAS",
    CaseKind.COMPLAINT: "ADU",
}


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    FACE_TO_FACE = "face_to_face", _("Face to face")
    COMPLAINT_BOX = "complaint_box", _("Complaint box")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Telephone")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("Email")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    LETTER = "letter", _("Letter")
    KIOSK = "kiosk", _("Kiosk")
    API = "api", _("API / integration")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting_on_requester", _("Waiting for the requester")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Case(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind)
    number = models.CharField(_("number"), max_length=40, unique=True)
    public_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="cases", on_delete=models.PROTECT
    )
    standard = models.ForeignKey(
        ServiceStandard,
        verbose_name=_("service standard"),
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.PROTECT,
    )
    standard_version = models.ForeignKey(
        StandardVersion,
        verbose_name=_("standard version in force"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.WEB)
    status = models.CharField(_("status"), max_length=24, choices=Status, default=Status.RECEIVED)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    # Requester. Anonymous cases store no identity at all; confidential ones hide it from
    # everyone but the complaint officer.
    requester_name = models.CharField(_("name"), max_length=150, blank=True)
    requester_email = models.EmailField(_("email"), blank=True)
    requester_phone = models.CharField(_("phone"), max_length=40, blank=True)
    requester_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_confidential = models.BooleanField(_("confidential"), default=False)

    # Time
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    # The duration the case is held to (from the standard, or the complaint class), kept on the
    # case so that pauses and reclassification recompute from the original receipt.
    sla_value = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    sla_unit = models.CharField(
        _("time limit unit"), max_length=20, choices=DurationUnit, blank=True
    )
    sla_text = models.CharField(_("time limit as written"), max_length=300, blank=True)
    sla_state = models.CharField(
        _("deadline state"), max_length=12, choices=SlaState, default=SlaState.ON_TRACK
    )
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Work
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("assigned division"),
        null=True,
        blank=True,
        related_name="assigned_cases",
        on_delete=models.PROTECT,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        related_name="assigned_cases",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Queries outside a unit scope raise ScopeError (layanan/core/scoping.py).
    objects = unit_scoped_manager("unit", "assigned_unit")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_at", "received_at"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="case_unit_status_due"),
            models.Index(fields=["unit", "kind", "received_at"], name="case_unit_kind_received"),
            # The monthly evaluation and dashboards count a unit's cases by when they were
            # received, first answered, closed and finished (bench/README.md).
            models.Index(fields=["unit", "received_at"], name="case_unit_received"),
            models.Index(fields=["unit", "first_response_at"], name="case_unit_first_response"),
            models.Index(fields=["unit", "closed_at"], name="case_unit_closed"),
            models.Index(
                F("unit"), Coalesce("answered_at", "closed_at"), name="case_unit_finished"
            ),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["assigned_unit", "status"], name="case_assigned_unit_status"),
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["received", "verified", "in_progress"]),
                name="case_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_anonymous=True)
                | (Q(requester_name="") & Q(requester_email="") & Q(requester_phone="")),
                name="case_anonymous_has_no_identity",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def sla_duration(self) -> Duration | None:
        if self.sla_value is None or not self.sla_unit:
            return None
        return Duration(value=self.sla_value, unit=self.sla_unit, text=self.sla_text)

    def pause_intervals(self) -> list[tuple]:
        """(start, end) of every pause, the current one open-ended, for the deadline math."""
        return [(p.started_at, p.ended_at) for p in self.pauses.all()]


class CasePause(models.Model):
    """An interval in which the clock stood still (waiting on the requester)."""

    case = models.ForeignKey(Case, related_name="pauses", on_delete=models.CASCADE)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = unit_scoped_manager("case__unit", "case__assigned_unit")

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_open_pause_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.started_at} – {self.ended_at or '…'}"


class CaseEvent(models.Model):
    """Append-only timeline: who did what when, with old → new values."""

    case = models.ForeignKey(Case, related_name="events", on_delete=models.CASCADE)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("event"), max_length=40)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    # ``note`` is for staff only, always: what an officer writes about a step. What the
    # requester is meant to read (the request for information, the reason for a rejection, a
    # message with a step) is ``public_note``, written in a field labelled as such.
    note = models.TextField(_("internal note"), blank=True)
    public_note = models.TextField(_("message to the requester"), blank=True)
    # Internal events are never shown on the public tracking page (not even their public note).
    is_internal = models.BooleanField(_("internal"), default=False)

    objects = unit_scoped_manager("case__unit", "case__assigned_unit")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.old_value} → {self.new_value}"


class CaseCounter(models.Model):
    """The last number given per (unit, kind code, year); locked row by row to stay gapless."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind_code", "year"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kind_code}/{self.year}: {self.last}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    """A random storage name: the uploaded file name is never trusted as a path."""
    import secrets

    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A file belonging to a case, stored privately and served only by an authorising view.

    ``original_name`` is for display and the download's file name only (sanitised); the
    stored name is random, and ``content_type`` is what the bytes are, not what the browser
    claimed.
    """

    case = models.ForeignKey(Case, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=_attachment_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Internal files (staff working papers) are never offered to the reporter.
    is_internal = models.BooleanField(_("internal"), default=False)

    objects = unit_scoped_manager("case__unit", "case__assigned_unit")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
