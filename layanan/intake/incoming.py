"""A message as a channel delivers it (:class:`Incoming`, with the files it could not take:
:class:`RefusedFile`) and its time of arrival — what the mail poller and the WhatsApp webhook
hand to ``services.intake_receive``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import IntakeChannel
from .parsing import MailPart, ParsedMail


@dataclass(frozen=True)
class RefusedFile:
    """A file that came with a message but could not be taken (too large to fetch, gone from
    the provider): listed on the message with the reason, as a refused attachment is."""

    filename: str
    content_type: str
    size: int
    reason: str


@dataclass
class Incoming:
    """A message as a channel delivers it, before it is recorded."""

    channel: str
    external_id: str
    received_at: dt.datetime
    sender_address: str = ""
    sender_name: str = ""
    subject: str = ""
    text: str = ""
    thread_ids: tuple[str, ...] = ()
    automatic: str = ""
    attachments: tuple[MailPart, ...] = ()
    refused: tuple[RefusedFile, ...] = ()

    @classmethod
    def from_mail(cls, mail: ParsedMail, *, received_at: dt.datetime) -> Incoming:
        return cls(
            channel=IntakeChannel.EMAIL,
            external_id=mail.message_id,
            received_at=received_at,
            sender_address=mail.sender_address,
            sender_name=mail.sender_name,
            subject=mail.subject,
            text=mail.text,
            thread_ids=tuple(mail.thread_ids),
            automatic=mail.automatic,
            attachments=tuple(mail.attachments),
        )


def receipt_time(*candidates: dt.datetime | None, now: dt.datetime | None = None) -> dt.datetime:
    """The first known time of arrival, never in the future (a sender's clock may be ahead)."""
    now = now or timezone.now()
    for moment in candidates:
        if moment is not None:
            return min(moment, now)
    return now
