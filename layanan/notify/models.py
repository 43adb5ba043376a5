"""The notification outbox: every e-mail or WhatsApp message the system sends is first a row here.

A row is written in the same transaction as the change it reports (so a rolled-back change
notifies nobody) and delivered afterwards by the dispatcher (``dispatch.outbox_dispatch``), which
retries with backoff and leaves failures visible in the admin. See docs/notifications.md.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_ATTEMPTS = 6


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryStatus(models.TextChoices):
    """What the provider reports after sending (WhatsApp status callbacks), in order."""

    SENT = "sent", _("Sent to the phone")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")


#: The order of ``DeliveryStatus``: a callback never moves a row backwards.
DELIVERY_RANK = {"": 0, DeliveryStatus.SENT: 1, DeliveryStatus.DELIVERED: 2, DeliveryStatus.READ: 3}


class OutboxMessage(models.Model):
    """One message to one recipient on one channel, with its delivery bookkeeping.

    ``attempts`` counts the deliveries started (it goes up when a dispatcher claims the row), so
    a message whose sending crashes the worker still runs out of attempts. ``claimed_at`` is
    when the current attempt started; a row left in ``sending`` longer than
    ``NOTIFY_SENDING_TIMEOUT`` is reclaimed. ``context`` is for rendering and audit only and
    must never hold secrets (tokens, passwords, one-time codes).
    """

    channel = models.CharField(_("channel"), max_length=16, choices=OutboxChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    template_key = models.CharField(_("template key"), max_length=100, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The object the message is about. Deliberately not a foreign key: the outbox outlives and
    # does not depend on the apps that write to it.
    case_id = models.BigIntegerField(_("case id"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=64, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("max attempts"), default=DEFAULT_MAX_ATTEMPTS)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # For e-mail: the Message-ID it was sent with (``channels.message_id_for``), so a reply
    # naming it in In-Reply-To/References finds its case (layanan/intake/services.py).
    provider_message_id = models.CharField(
        _("provider message id"), max_length=255, blank=True, db_index=True
    )
    # WhatsApp: the phone-number id it goes out from (the unit's number, docs/intake.md);
    # empty: the global WHATSAPP_PHONE_NUMBER_ID, or the case's unit's number at sending.
    sender = models.CharField(_("sent from"), max_length=64, blank=True)
    # WhatsApp: how far the platform says the message got (status callbacks: sent, delivered,
    # read), only ever moving forward — callbacks arrive out of order. A "failed" callback
    # turns the row's status to failed with the platform's error.
    delivery_status = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryStatus.choices, blank=True
    )
    delivery_updated_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    # Extra e-mail headers, only those of ``services.THREAD_HEADERS``: In-Reply-To and
    # References (the answer to a complaint that came by e-mail goes back in its thread) and
    # Reply-To (the unit's mailbox, which the intake reads).
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    dedupe_key = models.CharField(
        _("dedupe key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The same key is never queued twice, e.g. case:12:classified."),
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The dispatcher: due pending rows, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="notify_outbox_due_idx",
            ),
            # The reclaim of rows left in "sending" by a crashed worker.
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="notify_outbox_sending_idx",
            ),
            # The admin list filtered by status (failed first of all), newest first.
            models.Index(fields=["status", "created_at"], name="notify_outbox_status_idx"),
        ]

    def __str__(self) -> str:
        # No recipient: this text lands in admin titles, labels and logs, and the message may
        # be about a confidential reporter.
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"


class OutboxAttachment(models.Model):
    """A file sent with an e-mail (a monthly report, say), kept with its message so a retry
    sends exactly what was queued."""

    message = models.ForeignKey(OutboxMessage, related_name="attachments", on_delete=models.CASCADE)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
