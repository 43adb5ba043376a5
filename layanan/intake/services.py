"""Writes to the intake queue: receive a message (any channel), match it to a case, and the
complaint officer's three choices — turn it into a case, add it to a case, dismiss it.

``intake_receive`` is the one entry point of every channel (the mail poller now, a WhatsApp
webhook later): it writes the message row first, so a message already recorded (same external
id in the unit, or same mailbox UID) is refused by the database before anything else happens,
and everything it then does (files, timeline event, reopening) commits or rolls back with it.

Matching a message to a case, in order (django-helpdesk and osTicket opened a new ticket for
each of these):

1. ``In-Reply-To``/``References`` naming a Message-ID we sent about a case (the outbox) or an
   earlier incoming message of a case;
2. a case number in the subject (``KESRA/ADU/2026/000123``);
3. the sender's address with an open case of the unit — only for a message that is a reply
   (it names a Message-ID, or its subject starts with ``Re:``/``Bls:``…); a fresh message from
   the same person goes to the queue with the case *suggested*, since it may be a new complaint.

Automatic mail (auto-replies, out-of-office, bounces, lists) is recorded as ignored: no case,
no answer, never a loop.

The matching rules are reads: ``selectors.match_case`` (with ``is_reply`` and
``joins_by_itself``); a message as a channel delivers it is ``incoming.Incoming`` (importable
from here as before). This module holds the writes.
"""

from __future__ import annotations

import logging
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM, user_or_none
from layanan.accounts.permissions import can, ensure_can
from layanan.cases.attachments import attachment_add, attachment_validate
from layanan.cases.events import case_event_record
from layanan.cases.models import Case, Channel, Status
from layanan.cases.workflow import case_transition
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError, Conflict
from layanan.core.models import AuditAction, Unit
from layanan.core.phones import phone_or_none

from .incoming import Incoming, RefusedFile, receipt_time
from .models import (
    AutomaticKind,
    DismissReason,
    IntakeAttachment,
    IntakeChannel,
    IntakeMessage,
    IntakeStatus,
    Mailbox,
)
from .parsing import MailPart
from .selectors import MATCH_SENDER, MATCH_STAFF, is_reply, joins_by_itself, match_case
from .threading import converting

__all__ = [
    "REQUESTER_MESSAGE",
    "Incoming",
    "RefusedFile",
    "intake_attach",
    "intake_convert",
    "intake_dismiss",
    "intake_receive",
    "intake_record_prefill",
    "intake_recorded_as",
    "receipt_time",
]

if TYPE_CHECKING:
    from collections.abc import Iterable

    from layanan.accounts.actors import AnyActor

    from .models import Mailbox

logger = logging.getLogger("layanan.intake")

#: The timeline event of a message from the requester (internal: staff read it on the case
#: page; the tracking page, which anyone holding the code reads, does not repeat it).
REQUESTER_MESSAGE = "requester_message"


def _own_addresses(mailbox: Mailbox | None) -> set[str]:
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    if mailbox is not None:
        own.add(mailbox.address.lower())
    return own


def intake_receive(
    *,
    unit: Unit,
    incoming: Incoming,
    mailbox: Mailbox | None = None,
    uidvalidity: int | None = None,
    uid: int | None = None,
) -> IntakeMessage | None:
    """Record one arrived message in ``unit``'s queue (or on the case it answers); return the
    row, or ``None`` when this message was recorded before (exactly once, whoever else reads
    the same mailbox at the same time). Runs as ``SYSTEM``."""
    try:
        with transaction.atomic():
            message = IntakeMessage.objects.create(
                unit=unit,
                channel=incoming.channel,
                external_id=incoming.external_id[:255],
                mailbox=mailbox,
                imap_uidvalidity=uidvalidity if uid is not None else None,
                imap_uid=uid,
                received_at=incoming.received_at,
                sender_address=incoming.sender_address[:254],
                sender_name=incoming.sender_name[:200],
                subject=incoming.subject[:300],
                text=incoming.text,
                thread_ids=list(incoming.thread_ids)[:50],
                automatic=incoming.automatic,
            )
            _store_files(message, incoming.attachments)
            _list_refused(message, incoming.refused)
            if incoming.automatic:
                _set_status(message, IntakeStatus.IGNORED)
            elif incoming.sender_address.lower() in _own_addresses(mailbox):
                # Our own mail come back (a forward rule, a copy to the mailbox): never answer it.
                message.automatic = AutomaticKind.OWN
                _set_status(message, IntakeStatus.IGNORED, "automatic")
            else:
                try:
                    with transaction.atomic():
                        _route(message, incoming)
                except ApplicationError:
                    # The case refused the step (a race with staff closing it, say): the
                    # message is not lost, it waits in the queue for the officer.
                    logger.warning("intake: message %s left for triage", message.pk, exc_info=True)
                    message.refresh_from_db()
            return message
    except IntegrityError:
        if _already_recorded(unit, incoming, mailbox, uidvalidity, uid):
            return None
        raise


def _already_recorded(
    unit: Unit,
    incoming: Incoming,
    mailbox: Mailbox | None,
    uidvalidity: int | None,
    uid: int | None,
) -> bool:
    same_id = IntakeMessage.objects.filter(
        unit=unit, channel=incoming.channel, external_id=incoming.external_id[:255]
    )
    if same_id.exists():
        return True
    return uid is not None and (
        IntakeMessage.objects.filter(
            mailbox=mailbox, imap_uidvalidity=uidvalidity, imap_uid=uid
        ).exists()
    )


def _set_status(message: IntakeMessage, status: str, *fields: str) -> None:
    message.status = status
    message.save(update_fields=["status", *fields])


def _store_files(message: IntakeMessage, parts: Iterable[MailPart]) -> None:
    """Each file checked as an upload is (``cases.attachments.attachment_validate``: type by
    its bytes, size); an accepted one is stored privately, a refused one listed with why."""
    for part in parts:
        upload = ContentFile(part.data, name=part.filename[:200] or "lampiran")
        row = IntakeAttachment(
            message=message,
            original_name=(part.filename or "lampiran")[:200],
            size=len(part.data),
        )
        try:
            # The reason is stored, so in the site's language (the poller has no visitor's).
            with translation.override(settings.LANGUAGE_CODE):
                row.content_type = attachment_validate(upload)
        except ValidationError as error:
            row.refused = " ".join(error.messages)[:300]
            row.content_type = part.content_type[:100]
            row.save()
            continue
        row.file.save(row.original_name, upload, save=False)
        row.save()


def _list_refused(message: IntakeMessage, refused: Iterable[RefusedFile]) -> None:
    IntakeAttachment.objects.bulk_create(
        IntakeAttachment(
            message=message,
            original_name=(item.filename or "lampiran")[:200],
            content_type=item.content_type[:100],
            size=item.size,
            refused=item.reason[:300],
        )
        for item in refused
    )


# --- routing --------------------------------------------------------------------------------


def _route(message: IntakeMessage, incoming: Incoming) -> None:
    case, rule = match_case(message.unit, incoming)
    if case is None:
        return  # stays in the queue, new
    # A fresh e-mail from someone with an open case may be a new complaint: suggested only. On
    # WhatsApp the chat with the number is one conversation: it joins the open case.
    if rule == MATCH_SENDER and incoming.channel == IntakeChannel.EMAIL and not is_reply(incoming):
        message.suggested_case = case
        message.matched_by = rule
        message.save(update_fields=["suggested_case", "matched_by"])
        return
    if not joins_by_itself(case):
        message.suggested_case = case
        message.matched_by = rule
        message.save(update_fields=["suggested_case", "matched_by"])
        return
    _add_to_case(message, case, actor=SYSTEM, rule=rule)


def _add_to_case(message: IntakeMessage, case: Case, *, actor: AnyActor, rule: str) -> Case:
    """The message on the case's timeline as the requester's, its files attached; a case
    waiting on the requester runs again, a closed one is reopened (the status machine's
    rules: ``case_transition``)."""
    text = message.text or ""
    case_event_record(
        case=case,
        actor=actor,
        kind=REQUESTER_MESSAGE,
        new=message.subject or message.get_channel_display(),
        note=text,
        internal=True,
        at=max(message.received_at, case.received_at),
    )
    _copy_files(message, case, actor)
    label = _("The requester wrote again (%(channel)s).") % {
        "channel": message.get_channel_display()
    }
    if case.status == Status.WAITING or (case.status == Status.CLOSED and joins_by_itself(case)):
        case = case_transition(actor=SYSTEM, case=case, to=Status.IN_PROGRESS, note=label)
    message.case = case
    message.matched_by = rule
    message.status = IntakeStatus.ATTACHED
    message.save(update_fields=["case", "matched_by", "status"])
    return case


def _copy_files(message: IntakeMessage, case: Case, actor: AnyActor) -> None:
    """The message's accepted files onto the case (checked again there, as any upload)."""
    for row in message.attachments.filter(refused="").exclude(file=""):
        with row.file.open("rb") as handle:
            upload = ContentFile(handle.read(), name=row.original_name)
        attachment_add(case=case, upload=upload, actor=actor)


# --- the officer's choices -------------------------------------------------------------------


def _lock_new(actor: AnyActor, message: IntakeMessage) -> IntakeMessage:
    ensure_can(actor, "intake.triage", message)
    message = IntakeMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != IntakeStatus.NEW:
        raise Conflict(
            _("This message has already been handled (%(status)s).")
            % {"status": message.get_status_display()},
            "already_handled",
        )
    return message


def _decided(message: IntakeMessage, actor: AnyActor, status: str, **fields) -> None:
    message.status = status
    message.decided_by = user_or_none(actor)
    message.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(message, name, value)
    message.save()


@transaction.atomic
def intake_convert(
    *,
    actor: AnyActor,
    message: IntakeMessage,
    subject: str = "",
    description: str = "",
    class_code: str = "",
    confidential: bool = False,
) -> Case:
    """Turn the message into a complaint of its unit, received when the message arrived (the
    deadline counts from receipt, not from triage), through the same service as the web form
    and the API (``complaint_create``); its files go with it."""
    from layanan.complaints.services import complaint_create

    message = _lock_new(actor, message)
    email = message.channel == IntakeChannel.EMAIL
    with converting(message):  # the acknowledgement goes back in the message's thread
        case = complaint_create(
            actor=actor,
            unit=message.unit,
            channel=Channel.EMAIL if email else Channel.WHATSAPP,
            received_at=message.received_at,
            subject=(subject or message.subject).strip() or _("(no subject)"),
            description=(description or message.text).strip() or message.subject,
            requester_name=message.sender_name,
            requester_email=message.sender_address if email else "",
            requester_phone="" if email else phone_or_none(message.sender_address) or "",
            confidential=confidential,
            class_code=class_code,
        )
    _copy_files(message, case, actor)
    _decided(message, actor, IntakeStatus.CONVERTED, case=case, matched_by="")
    audit_log(
        actor=actor,
        action=AuditAction.INTAKE_CONVERTED,
        target=message,
        unit=message.unit,
        data={"case": case.number, "channel": message.channel},
    )
    return case


def intake_record_prefill(message: IntakeMessage) -> dict:
    """What a staff record form of another kind of case (an audience or facility request)
    starts with when it is filled from the message: who wrote, through which channel, when it
    arrived (the deadline counts from then), and their words."""
    email = message.channel == IntakeChannel.EMAIL
    return {
        "channel": Channel.EMAIL if email else Channel.WHATSAPP,
        "received_at": timezone.localtime(message.received_at).replace(tzinfo=None),
        "requester_name": message.sender_name,
        "requester_email": message.sender_address if email else "",
        "requester_phone": "" if email else phone_or_none(message.sender_address) or "",
        "subject": message.subject,
        "text": message.text,
    }


def intake_recorded_as(*, actor: AnyActor, message: IntakeMessage, case: Case) -> Case:
    """The message became ``case``, a request of another kind recorded from it by staff (an
    audience or facility request, through that kind's own record service). Call inside the
    transaction that created the case: a message handled meanwhile refuses, and the case is
    rolled back with it. The message's files go onto the case; the choice is audited."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("intake_recorded_as must run in the transaction that made the case")
    message = _lock_new(actor, message)
    if not case.unit.is_within(message.unit):
        raise ApplicationError(
            _("The message can only become a case of %(unit)s.") % {"unit": message.unit.name},
            "foreign_case",
        )
    _copy_files(message, case, actor)
    _decided(message, actor, IntakeStatus.CONVERTED, case=case, matched_by="")
    audit_log(
        actor=actor,
        action=AuditAction.INTAKE_CONVERTED,
        target=message,
        unit=message.unit,
        data={"case": case.number, "channel": message.channel, "kind": case.kind},
    )
    return case


@transaction.atomic
def intake_attach(*, actor: AnyActor, message: IntakeMessage, case: Case) -> Case:
    """Add the message to an existing case of the unit (the requester wrote again)."""
    message = _lock_new(actor, message)
    if not case.unit.is_within(message.unit) or not can(actor, "case.work", case):
        raise ApplicationError(
            _("The message can only be added to a case of %(unit)s.") % {"unit": message.unit.name},
            "foreign_case",
        )
    case = _add_to_case(message, case, actor=actor, rule=MATCH_STAFF)
    _decided(message, actor, IntakeStatus.ATTACHED)
    audit_log(
        actor=actor,
        action=AuditAction.INTAKE_ATTACHED,
        target=message,
        unit=message.unit,
        data={"case": case.number, "channel": message.channel},
    )
    return case


@transaction.atomic
def intake_dismiss(
    *, actor: AnyActor, message: IntakeMessage, reason: str, note: str = ""
) -> IntakeMessage:
    """Dismiss the message (spam, not for this unit, not a complaint) with the reason."""
    if reason not in DismissReason.values:
        raise ApplicationError(_("Please choose why the message is dismissed."), "reason_required")
    message = _lock_new(actor, message)
    _decided(
        message, actor, IntakeStatus.DISMISSED, dismiss_reason=reason, decision_note=note.strip()
    )
    audit_log(
        actor=actor,
        action=AuditAction.INTAKE_DISMISSED,
        target=message,
        unit=message.unit,
        data={"reason": reason, "channel": message.channel},
    )
    return message
