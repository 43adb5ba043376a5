"""Writes to the outbox: queue a message, retry or cancel by hand (sending: ``dispatch.py``).

Delivery is at-least-once and never lost:
1. ``outbox_enqueue`` (one message) or ``outbox_enqueue_many`` (a batch, in a constant number of
   statements) writes the rows inside the caller's transaction and, once that transaction
   commits, asks the task worker to run ``dispatch_outbox`` — once per transaction, however many
   messages it queued (a rolled-back transaction leaves no row and schedules nothing).
2. ``outbox_dispatch`` (``dispatch.py``) claims due rows one at a time (pending → sending,
   committed before any network call), sends, and records the outcome: sent; pending again
   with exponential backoff; failed after ``max_attempts`` or on a permanent refusal;
   cancelled when the channel is off.
3. A row left in "sending" by a crashed worker is put back to pending after
   ``NOTIFY_SENDING_TIMEOUT_SECONDS`` (so, rarely, a message may be delivered twice; it is never
   silently lost).

Run ``outbox_dispatch`` outside any transaction (the command and the task do): each claim must
commit on its own so that two dispatchers never send the same row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.core.phones import to_whatsapp

from .models import OutboxAttachment, OutboxChannel, OutboxMessage, OutboxStatus
from .tasks import dispatch_outbox

if TYPE_CHECKING:
    pass

logger = logging.getLogger("layanan.notify")

# Context keys that look like secrets are refused: the outbox is readable in the admin.
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|otp|pin$|api_?key", re.IGNORECASE)

#: The e-mail headers a caller may set on a message (threading and where replies go).
THREAD_HEADERS = ("In-Reply-To", "References", "Reply-To")

# Statuses a person may put back in the queue, or cancel.
RETRYABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.CANCELLED)
CANCELLABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


# --- queueing ------------------------------------------------------------------------------------


@transaction.atomic
def outbox_enqueue(**fields) -> OutboxMessage | None:
    """Queue one message; return it, or ``None`` when ``dedupe_key`` was queued before.

    The keywords (``channel``, ``recipient``, ``subject``, ``body``, and optionally
    ``dedupe_key``, ``case_id``, ``kind``, ``html_body``, ``template_key``, ``context``,
    ``max_attempts``, ``attachments``, ``headers``, ``sender`` — WhatsApp's phone-number id)
    are those of :func:`_prepare`, which checks them.

    Call it inside the transaction of the change being reported: the row commits or rolls back
    with it, and dispatch is scheduled with ``transaction.on_commit``. An unusable recipient
    (malformed e-mail address or phone number) does not break the caller: the row is stored as
    failed with the reason, so staff see it in the admin. ``attachments`` are (file name,
    bytes, content type) for e-mail.
    """
    (message,) = outbox_enqueue_many([fields])
    return message


@transaction.atomic
def outbox_enqueue_many(messages: Iterable[dict]) -> list[OutboxMessage | None]:
    """Queue many messages at once: each item holds the keyword arguments of
    :func:`outbox_enqueue`, with the same rules. Returns, in order, each queued message or
    ``None`` for one whose ``dedupe_key`` was queued before (or earlier in the same call).

    A constant number of statements whatever the number of messages: one look-up of the dedupe
    keys, one multi-row insert (and one for attachments), and a single dispatch scheduled for
    the transaction.
    """
    prepared = [_prepare(**fields) for fields in messages]  # all validated before any write
    result: list[OutboxMessage | None] = [message for message, _files in prepared]
    # Keys queued before, then repeats within this call: the first one wins.
    seen = _queued_keys([m.dedupe_key for m in result if m is not None and m.dedupe_key])
    for i, (message, _files) in enumerate(prepared):
        if message.dedupe_key:
            if message.dedupe_key in seen:
                result[i] = None
            else:
                seen.add(message.dedupe_key)
    while True:
        todo = [(i, prepared[i][0], prepared[i][1]) for i, m in enumerate(result) if m is not None]
        if not todo:
            return result
        try:
            # A savepoint: losing a race on dedupe_key must not break the caller's transaction.
            with transaction.atomic():
                _insert([(message, files) for _i, message, files in todo])
            break
        except IntegrityError:
            # Another transaction queued some of these keys since the look-up: drop them and
            # try again; an error that is not such a race goes up.
            raced = _queued_keys([m.dedupe_key for _i, m, _f in todo if m.dedupe_key])
            if not raced:
                raise
            for i, message, _files in todo:
                message.pk = None  # a key given by the rolled-back insert is not ours any more
                message._state.adding = True
                if message.dedupe_key in raced:
                    result[i] = None
    if any(message.status == OutboxStatus.PENDING for _i, message, _f in todo):
        _schedule_dispatch_on_commit()
    return result


def _prepare(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    dedupe_key: str | None = None,
    case_id: int | None = None,
    kind: str = "",
    html_body: str = "",
    template_key: str = "",
    context: dict | None = None,
    max_attempts: int | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
    sender: str = "",
) -> tuple[OutboxMessage, list[tuple[str, bytes, str]]]:
    """Check one message's arguments and build its (unsaved) row."""
    if channel not in OutboxChannel.values:
        raise ValueError(f"unknown outbox channel {channel!r}")
    if not body:
        raise ValueError("an outbox message needs a body")
    context = context or {}
    secret_keys = [key for key in context if _SECRET_KEY.search(str(key))]
    if secret_keys:
        raise ValueError(f"outbox context must not carry secrets: {secret_keys}")
    headers = {key: str(value) for key, value in (headers or {}).items() if value}
    unknown = [key for key in headers if key not in THREAD_HEADERS]
    if unknown:
        raise ValueError(f"outbox headers may only be {THREAD_HEADERS}: {unknown}")
    if any("\n" in value or "\r" in value for value in headers.values()):
        raise ValueError("outbox header values must be one line")
    recipient, problem = _clean_recipient(channel, recipient)
    message = OutboxMessage(
        headers=headers,
        sender=sender[:64] if channel == OutboxChannel.WHATSAPP else "",
        channel=channel,
        recipient=recipient,
        subject=subject[:255],
        body=body,
        html_body=html_body,
        template_key=template_key,
        context=context,
        case_id=case_id,
        kind=kind,
        dedupe_key=dedupe_key or None,
        max_attempts=max_attempts or settings.NOTIFY_MAX_ATTEMPTS,
    )
    if problem:
        message.status = OutboxStatus.FAILED
        message.last_error = problem
        # The log names the case, never the address: the reporter may be confidential.
        logger.warning(
            "outbox: not queued for delivery (%s, case %s): unusable recipient", channel, case_id
        )
    return message, list(attachments)


_KEY_CHUNK = 1000  # dedupe keys per look-up (keeps the IN list within every database's limits)


def _queued_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        found.update(
            key
            for key in OutboxMessage.objects.filter(
                dedupe_key__in=keys[start : start + _KEY_CHUNK]
            ).values_list("dedupe_key", flat=True)
            if key
        )
    return found


def _insert(rows: list[tuple[OutboxMessage, list[tuple[str, bytes, str]]]]) -> None:
    messages = [message for message, _files in rows]
    if connection.features.can_return_rows_from_bulk_insert:
        OutboxMessage.objects.bulk_create(messages, batch_size=_KEY_CHUNK)
    else:  # the primary keys are needed for the attachments
        for message in messages:
            message.save()
    OutboxAttachment.objects.bulk_create(
        (
            OutboxAttachment(message=message, filename=name[:200], content=data, content_type=ctype)
            for message, files in rows
            for name, data, ctype in files
        ),
        batch_size=_KEY_CHUNK,
    )


def _schedule_dispatch_on_commit() -> None:
    """``outbox_schedule_dispatch`` once the current transaction commits, registered once per
    transaction. A registration already waiting is enough: the savepoints it was made in are
    either released (they can no longer roll back) or still open around the caller (rolling
    one back undoes the caller's rows too, and drops the registration with them)."""
    # django-stubs types run_on_commit as (sids, func) pairs; Django stores (sids, func, robust).
    if any(entry[1] is outbox_schedule_dispatch for entry in connection.run_on_commit):
        return
    transaction.on_commit(outbox_schedule_dispatch, robust=True)


def _clean_recipient(channel: str, recipient: str) -> tuple[str, str]:
    recipient = (recipient or "").strip()
    if channel == OutboxChannel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            return recipient[:254], _("Not sent: invalid e-mail address %(recipient)s.") % {
                "recipient": repr(recipient)
            }
        return recipient, ""
    try:
        return to_whatsapp(recipient), ""
    except ValidationError:
        return recipient[:254], _("Not sent: invalid phone number %(recipient)s.") % {
            "recipient": repr(recipient)
        }


def outbox_schedule_dispatch() -> None:
    """Ask the task worker to dispatch soon (after commit). If the task backend cannot take it,
    the periodic ``dispatch_outbox`` run still will: queued rows are never lost."""
    if not settings.NOTIFY_DISPATCH_ON_COMMIT:
        return
    try:
        dispatch_outbox.enqueue()
    except Exception:
        logger.warning(
            "outbox: could not enqueue the dispatch_outbox task; the periodic run will send",
            exc_info=True,
        )


# --- by hand (admin actions) ---------------------------------------------------------------------


@transaction.atomic
def outbox_retry(*, message_ids: Iterable[int]) -> int:
    """Queue messages again now with a fresh series of attempts (pending, failed or cancelled
    ones; sent and in-flight messages are left alone). Returns how many were queued."""
    count = OutboxMessage.objects.filter(pk__in=list(message_ids), status__in=RETRYABLE).update(
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        updated_at=timezone.now(),
    )
    if count:
        transaction.on_commit(outbox_schedule_dispatch, robust=True)
    return count


@transaction.atomic
def outbox_cancel(*, message_ids: Iterable[int], by: str = "") -> int:
    """Cancel pending or failed messages (never one being sent or already sent)."""
    reason = _("Cancelled by %(user)s.") % {"user": by} if by else _("Cancelled by a staff member.")
    # One conditional UPDATE: a row a dispatcher claims meanwhile is no longer cancellable.
    return OutboxMessage.objects.filter(pk__in=list(message_ids), status__in=CANCELLABLE).update(
        status=OutboxStatus.CANCELLED,
        last_error=Concat(Value(f"{reason}\n"), F("last_error"), output_field=TextField()),
        updated_at=timezone.now(),
    )
