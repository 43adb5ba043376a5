"""Delivery of one outbox message on its channel. The dispatcher calls ``deliver``.

A channel either returns the provider's message id, or raises:
- ``DeliveryError`` — not delivered; retried with backoff unless ``permanent``;
- ``ChannelDisabled`` — the channel is switched off here; the message is cancelled with the
  reason (never dropped silently).
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMultiAlternatives
from django.utils.translation import gettext as _

from layanan.intake.whatsapp_numbers import outgoing_plan

from .models import OutboxChannel, OutboxMessage
from .whatsapp import WhatsAppCloudClient, WhatsAppError


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, unavailable: bool = False):
        super().__init__(message)
        # permanent: a retry cannot help (refused recipient, invalid number).
        self.permanent = permanent
        # unavailable: the channel itself is unreachable (SMTP server down); the dispatcher
        # stops using the channel for the rest of its run instead of burning every message's
        # attempts on the same outage.
        self.unavailable = unavailable


class ChannelDisabled(Exception):
    pass


def deliver(message: OutboxMessage) -> str:
    if message.channel == OutboxChannel.EMAIL:
        return send_email(message)
    if message.channel == OutboxChannel.WHATSAPP:
        return send_whatsapp(message)
    raise DeliveryError(f"unknown channel {message.channel!r}", permanent=True)


def message_id_for(message: OutboxMessage) -> str:
    """A stable Message-ID per outbox row: a repeated delivery (after a worker crash) carries the
    same id, so mail systems can tell it is the same message."""
    stamp = int(message.created_at.timestamp()) if message.created_at else 0
    return f"<layanan-outbox-{message.pk}-{stamp}@{DNS_NAME}>"


def send_email(message: OutboxMessage) -> str:
    """Through Django's configured mailer (``NOTIFY_MAILER``, real SMTP in production)."""
    message_id = message_id_for(message)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={
            **(message.headers or {}),
            "Message-ID": message_id,
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    try:
        sent = email.send(using=settings.NOTIFY_MAILER)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _msg in error.recipients.values()]
        raise DeliveryError(
            f"SMTPRecipientsRefused: {_smtp_detail(error.recipients)}",
            permanent=bool(codes) and all(500 <= code < 600 for code in codes),
        ) from error
    except smtplib.SMTPDataError as error:  # the message itself was refused (5xx: for good)
        raise DeliveryError(
            f"SMTPDataError: {error.smtp_code} {_decode(error.smtp_error)}",
            permanent=500 <= error.smtp_code < 600,
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        # Cannot connect, disconnected, TLS or login failure, sender refused: the server or
        # our configuration, not this message. Every other e-mail would fail the same way.
        raise DeliveryError(f"{type(error).__name__}: {error}", unavailable=True) from error
    if not sent:
        raise DeliveryError(_("The mail server accepted no recipient."))
    return message_id


def send_whatsapp(message: OutboxMessage) -> str:
    """From the number of the case's unit (or the row's ``sender``), as free text inside the
    24-hour customer-service window and as the approved update template outside it
    (``layanan.intake.whatsapp_numbers.outgoing_plan``, decided now, not when the row was
    queued)."""
    if not settings.WHATSAPP_ENABLED:
        raise ChannelDisabled(
            _(
                "Not sent: WhatsApp delivery is switched off on this server "
                "(WHATSAPP_ENABLED is false)."
            )
        )
    plan = outgoing_plan(message)
    try:
        with WhatsAppCloudClient.from_settings() as client:
            if plan.free_text or not plan.template:
                # No template configured: tried as text; outside the window WhatsApp refuses it
                # (error 131047, permanent), and the row shows as failed with that reason.
                return client.send_text(
                    to=message.recipient, body=message.body, phone_number_id=plan.sender
                )
            return client.send_template(
                to=message.recipient,
                name=plan.template,
                language=plan.language,
                parameters=list(plan.parameters),
                phone_number_id=plan.sender,
            )
    except ValueError as error:  # missing configuration or an invalid number
        raise DeliveryError(str(error), permanent=True) from error
    except WhatsAppError as error:
        raise DeliveryError(
            str(error), permanent=error.permanent, unavailable=error.status_code is None
        ) from error


def _decode(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _smtp_detail(recipients: dict) -> str:
    return "; ".join(
        f"{address}: {code} {_decode(text)}" for address, (code, text) in recipients.items()
    )
