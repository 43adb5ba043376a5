"""The intake queue: messages that arrived by themselves (e-mail now, WhatsApp later), waiting
for the unit's complaint officer to turn each into a case, attach it to one, or dismiss it.

Exactly once: a message is one ``IntakeMessage`` row, unique per (unit, channel, external id)
— the Message-ID of an e-mail, the provider's id of a WhatsApp message — and, for mail, per
(mailbox, UIDVALIDITY, UID). The row is committed before the message is marked processed on the
server, so a poller killed in between, or two pollers at once, record each message once.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case, _attachment_storage
from layanan.core.models import TimeStampedModel, Unit
from layanan.core.scoping import unit_scoped_manager


class IntakeChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MailSecurity(models.TextChoices):
    SSL = "ssl", _("IMAPS (TLS from the start, port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143, then TLS)")
    # Only on the loopback address and only where INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK is on
    # (the test suite's own IMAP server): a password never crosses a network in clear.
    PLAIN_LOOPBACK = "plain_loopback", _("Unencrypted, loopback only (tests)")


class Mailbox(TimeStampedModel):
    """A unit's official mailbox, read over IMAP. The password is either named by an
    environment variable (``password_env``) or stored encrypted (``password_encrypted``,
    see ``crypto.py``); it is never rendered back."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="mailboxes", on_delete=models.PROTECT
    )
    address = models.EmailField(
        _("address"), help_text=_("The public address, e.g. kesra@kalbarprov.go.id.")
    )
    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=20, choices=MailSecurity, default=MailSecurity.SSL
    )
    username = models.CharField(_("user name"), max_length=200)
    password_env = models.CharField(
        _("password from environment variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of an environment variable of the server that holds the password, "
            "e.g. INTAKE_KESRA_PASSWORD. Takes precedence over a stored password."
        ),
    )
    password_encrypted = models.TextField(_("stored password (encrypted)"), blank=True)
    folder = models.CharField(_("folder to read"), max_length=200, default="INBOX")
    processed_folder = models.CharField(
        _("move processed mail to"),
        max_length=200,
        blank=True,
        help_text=_(
            "A folder that exists on the server, e.g. INBOX/Layanan. Empty: processed mail "
            "stays where it is and is marked as read."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Where the poller got to: the highest UID recorded under this UIDVALIDITY.
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["unit__path", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "username", "folder"], name="intake_mailbox_unique_source"
            )
        ]

    def __str__(self) -> str:
        return self.address

    def password(self) -> str:
        """The password to log in with (environment first); "" when none is configured."""
        if self.password_env:
            return os.environ.get(self.password_env, "")
        if self.password_encrypted:
            from .crypto import decrypt

            return decrypt(self.password_encrypted)
        return ""

    def set_password(self, plain: str) -> None:
        from .crypto import encrypt

        self.password_encrypted = encrypt(plain) if plain else ""


class AutomaticKind(models.TextChoices):
    """Why a message was recognised as sent by a machine (``parsing.automatic_kind``)."""

    AUTO_REPLY = "auto_reply", _("Automatic reply (e.g. out of office)")
    AUTO_GENERATED = "auto_generated", _("Automatically generated")
    BULK = "bulk", _("Bulk or mailing-list mail")
    BOUNCE = "bounce", _("Delivery failure report (bounce)")
    OWN = "own", _("Our own message coming back")


class IntakeStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    CONVERTED = "converted", _("Turned into a case")
    ATTACHED = "attached", _("Added to a case")
    DISMISSED = "dismissed", _("Dismissed")
    IGNORED = "ignored", _("Automatic message, ignored")


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    NOT_FOR_UNIT = "not_for_unit", _("Not for this unit")
    NOT_A_COMPLAINT = "not_a_complaint", _("Not a complaint")


class IntakeMessage(models.Model):
    """One message that arrived on a channel, as received (never edited afterwards)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="intake_messages", on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=16, choices=IntakeChannel)
    # The channel's own id of the message: an e-mail's Message-ID, a WhatsApp message id.
    external_id = models.CharField(_("message id"), max_length=255)
    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        null=True,
        blank=True,
        related_name="messages",
        on_delete=models.SET_NULL,
    )
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_uid = models.BigIntegerField(null=True, blank=True, editable=False)

    received_at = models.DateTimeField(_("received at"))
    sender_address = models.CharField(
        _("sender"), max_length=254, blank=True, help_text=_("E-mail address or phone number.")
    )
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Message-IDs this message answers (e-mail threading), nearest first.
    thread_ids = models.JSONField(default=list, blank=True, editable=False)
    automatic = models.CharField(
        _("automatic message"), max_length=20, choices=AutomaticKind, blank=True
    )

    status = models.CharField(
        _("status"), max_length=16, choices=IntakeStatus, default=IntakeStatus.NEW
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        related_name="intake_messages",
        on_delete=models.SET_NULL,
    )
    # A case the message seems to belong to but could not be added to by itself (closed too
    # long ago, rejected): offered to the officer.
    suggested_case = models.ForeignKey(
        Case,
        verbose_name=_("possibly about"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    matched_by = models.CharField(_("matched by"), max_length=20, blank=True)
    dismiss_reason = models.CharField(_("reason"), max_length=20, choices=DismissReason, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Private data of a unit: read only inside a unit scope (layanan/core/scoping.py).
    objects = unit_scoped_manager("unit")

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "channel", "external_id"], name="intake_message_once_per_unit"
            ),
            models.UniqueConstraint(
                fields=["mailbox", "imap_uidvalidity", "imap_uid"],
                condition=Q(imap_uid__isnull=False),
                name="intake_message_once_per_uid",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "received_at"], name="intake_unit_status"),
            models.Index(fields=["channel", "sender_address"], name="intake_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"


def _intake_file_path(instance, filename: str) -> str:
    import secrets

    from django.utils import timezone

    return f"intake/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class IntakeAttachment(models.Model):
    """A file that came with a message. Checked like an upload (content type by its bytes,
    size): an accepted file is stored privately; a refused one is listed with the reason and
    not stored."""

    message = models.ForeignKey(IntakeMessage, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(
        _("file"), upload_to=_intake_file_path, storage=_attachment_storage, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    refused = models.CharField(_("refused because"), max_length=300, blank=True)

    objects = unit_scoped_manager("message__unit")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class WhatsAppNumber(TimeStampedModel):
    """A unit's WhatsApp Business number on the Cloud API, known by Meta's phone-number id.

    Messages the webhook receives for this id land in the unit's queue; messages to the
    requesters of the unit's cases (and of its divisions', which have no number of their own)
    go out from it. The global ``WHATSAPP_PHONE_NUMBER_ID`` is the default sender for units
    without a number here, and receives for ``WHATSAPP_DEFAULT_UNIT`` (docs/intake.md)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="whatsapp_numbers", on_delete=models.PROTECT
    )
    phone_number_id = models.CharField(
        _("phone number ID"),
        max_length=64,
        unique=True,
        help_text=_(
            "The Phone number ID shown in the Meta app under WhatsApp > API Setup (digits), "
            "not the telephone number itself."
        ),
    )
    display_number = models.CharField(
        _("telephone number"),
        max_length=40,
        blank=True,
        help_text=_("As people see it, e.g. +62 811-5678-900 (for staff; not used to send)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive number neither receives into the queue nor sends."),
    )

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")
        ordering = ["unit__path", "phone_number_id"]

    def __str__(self) -> str:
        return self.display_number or self.phone_number_id


class WhatsAppEventStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    DONE = "done", _("Processed")
    FAILED = "failed", _("Processing failed")


class WhatsAppEvent(models.Model):
    """One webhook delivery from the Cloud API, exactly as it arrived (its verified body),
    stored before the webhook answers 200: a process that dies afterwards loses nothing, the
    sweep (``manage.py process_whatsapp``) picks the event up again. Processing is idempotent
    (messages by their WhatsApp id, statuses by their rank), so an event processed twice, or
    delivered twice by the platform, changes nothing the second time."""

    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    phone_number_ids = models.JSONField(_("phone number IDs"), default=list)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=WhatsAppEventStatus,
        default=WhatsAppEventStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("WhatsApp webhook event")
        verbose_name_plural = _("WhatsApp webhook events")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(status="pending"),
                name="intake_wa_event_pending",
            )
        ]

    def __str__(self) -> str:
        return f"WhatsApp event #{self.pk}"
