"""Writes to the outbox: queue a message, dispatch due messages, retry or cancel by hand.

Delivery is at-least-once and never lost:
1. ``outbox_enqueue`` (one message) or ``outbox_enqueue_many`` (a batch, in a constant number of
   statements) writes the rows inside the caller's transaction and, once that transaction
   commits, asks the task worker to run ``dispatch_outbox`` — once per transaction, however many
   messages it queued (a rolled-back transaction leaves no row and schedules nothing).
2. ``outbox_dispatch`` claims due rows one at a time (pending → sending, committed before any
   network call), sends, and records the outcome: sent; pending again with exponential backoff;
   failed after ``max_attempts`` or on a permanent refusal; cancelled when the channel is off.
3. A row left in "sending" by a crashed worker is put back to pending after
   ``NOTIFY_SENDING_TIMEOUT_SECONDS`` (so, rarely, a message may be delivered twice; it is never
   silently lost).

Run ``outbox_dispatch`` outside any transaction (the command and the task do): each claim must
commit on its own so that two dispatchers never send the same row.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import ChannelDisabled, DeliveryError, deliver
from .models import OutboxAttachment, OutboxChannel, OutboxMessage, OutboxStatus
from .whatsapp import InvalidPhoneNumber, normalise_phone

if TYPE_CHECKING:
    from django.db.models import QuerySet

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
        return normalise_phone(recipient), ""
    except InvalidPhoneNumber:
        return recipient[:254], _("Not sent: invalid phone number %(recipient)s.") % {
            "recipient": repr(recipient)
        }


def outbox_schedule_dispatch() -> None:
    """Ask the task worker to dispatch soon (after commit). If the task backend cannot take it,
    the periodic ``dispatch_outbox`` run still will: queued rows are never lost."""
    if not settings.NOTIFY_DISPATCH_ON_COMMIT:
        return
    from .tasks import dispatch_outbox

    try:
        dispatch_outbox.enqueue()
    except Exception:
        logger.warning(
            "outbox: could not enqueue the dispatch_outbox task; the periodic run will send",
            exc_info=True,
        )


# --- dispatching ---------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    reclaimed: int = 0  # rows found stuck in "sending" and put back (or failed)
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, pending again with backoff
    failed: int = 0  # failed for good (attempts used up or permanent refusal)
    cancelled: int = 0  # channel switched off
    unavailable_channels: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.cancelled} cancelled, {self.reclaimed} reclaimed"
        )
        if self.unavailable_channels:
            text += f" (unavailable: {', '.join(self.unavailable_channels)})"
        return text


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after ``attempts`` failed ones: base, 2×base, 4×base… capped.
    With the defaults: 1, 2, 4, 8, 16, 32, 60, 60… minutes."""
    base = settings.NOTIFY_BACKOFF_BASE_SECONDS
    seconds = base * 2 ** max(0, min(attempts - 1, 30))
    return dt.timedelta(seconds=min(seconds, settings.NOTIFY_BACKOFF_MAX_SECONDS))


def outbox_dispatch(*, now: dt.datetime | None = None, limit: int = 100) -> DispatchReport:
    """Send up to ``limit`` due messages; safe to run in several processes at once.

    ``now`` pins the clock (tests); by default each step reads the real time.
    """

    def clock() -> dt.datetime:
        return now or timezone.now()

    report = DispatchReport(reclaimed=outbox_reclaim_stale(now=clock()))
    unavailable: set[str] = set()
    while report.claimed < limit:
        message = _claim_next(now=clock(), skip_channels=unavailable)
        if message is None:
            break
        report.claimed += 1
        try:
            provider_id = deliver(message)
        except ChannelDisabled as reason:
            _finish(message, status=OutboxStatus.CANCELLED, last_error=str(reason))
            report.cancelled += 1
        except DeliveryError as error:
            if _record_failure(message, str(error), permanent=error.permanent, now=clock()):
                report.failed += 1
            else:
                report.retrying += 1
            if error.unavailable:
                unavailable.add(message.channel)
        except Exception as error:  # a bug in a channel must not leave the row in "sending"
            logger.exception("outbox: unexpected error sending message %s", message.pk)
            if _record_failure(message, f"{type(error).__name__}: {error}", now=clock()):
                report.failed += 1
            else:
                report.retrying += 1
        else:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxStatus.SENT,
                sent_at=clock(),
                last_error="",
                provider_message_id=provider_id[:255],
                updated_at=timezone.now(),
            )
            report.sent += 1
    report.unavailable_channels = sorted(unavailable)
    if report.claimed or report.reclaimed:
        logger.info("outbox dispatch: %s", report)
    return report


def _due(now: dt.datetime, skip_channels: Iterable[str]) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .exclude(channel__in=list(skip_channels))
        .order_by("next_attempt_at", "pk")
    )


def _claim_next(*, now: dt.datetime, skip_channels: Iterable[str]) -> OutboxMessage | None:
    """Move one due row from pending to sending and return it; ``None`` when nothing is due.

    PostgreSQL (and any database with SKIP LOCKED): lock the oldest due row that no other
    dispatcher holds. SQLite: a conditional UPDATE keyed on the status and attempt count read
    just before; when another dispatcher won the row, the UPDATE matches nothing and the next
    candidate is tried.
    """
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            message = _due(now, skip_channels).select_for_update(skip_locked=True).first()
            if message is None:
                return None
            message.status = OutboxStatus.SENDING
            message.attempts += 1
            message.claimed_at = now
            message.save(update_fields=["status", "attempts", "claimed_at", "updated_at"])
            return message

    for _round in range(20):
        candidates = list(_due(now, skip_channels).values_list("pk", "attempts")[:20])
        if not candidates:
            return None
        for pk, attempts in candidates:
            won = OutboxMessage.objects.filter(
                pk=pk, status=OutboxStatus.PENDING, attempts=attempts, next_attempt_at__lte=now
            ).update(
                status=OutboxStatus.SENDING,
                attempts=attempts + 1,
                claimed_at=now,
                updated_at=timezone.now(),
            )
            if won:
                return OutboxMessage.objects.get(pk=pk)
    return None


def _without_address(text: str, recipient: str) -> str:
    """``text`` (a provider's error) with the recipient's address taken out, for the logs: they
    never carry a recipient, whose case may be confidential."""
    return text.replace(recipient, "<recipient>") if recipient else text


def _record_failure(
    message: OutboxMessage, error: str, *, permanent: bool = False, now: dt.datetime
) -> bool:
    """Back to pending with backoff, or failed for good; return True when failed."""
    final = permanent or message.attempts >= message.max_attempts
    if final:
        logger.warning(
            "outbox: message %s (case %s) failed for good after %s attempt(s): %s",
            message.pk,
            message.case_id,
            message.attempts,
            _without_address(error, message.recipient),
        )
        _finish(message, status=OutboxStatus.FAILED, last_error=error)
    else:
        _finish(
            message,
            status=OutboxStatus.PENDING,
            last_error=error,
            next_attempt_at=now + backoff(message.attempts),
        )
    return final


def _finish(message: OutboxMessage, *, status: str, last_error: str, **fields) -> None:
    # Keyed on "sending": if the row was reclaimed meanwhile, the reclaiming side owns it.
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
        status=status, last_error=last_error[:4000], updated_at=timezone.now(), **fields
    )


def outbox_reclaim_stale(*, now: dt.datetime | None = None) -> int:
    """Put rows stuck in "sending" (a worker died mid-send) back to pending, or fail them when
    their attempts are used up. Returns how many rows were touched."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.NOTIFY_SENDING_TIMEOUT_SECONDS)
    stale = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=cutoff)
    reason = _(
        "The dispatcher stopped while sending (no result after %(seconds)s seconds); "
        "the message may or may not have gone out."
    ) % {"seconds": settings.NOTIFY_SENDING_TIMEOUT_SECONDS}
    failed = stale.filter(attempts__gte=F("max_attempts")).update(
        status=OutboxStatus.FAILED, last_error=reason, updated_at=timezone.now()
    )
    retried = stale.filter(attempts__lt=F("max_attempts")).update(
        status=OutboxStatus.PENDING, next_attempt_at=now, last_error=reason, updated_at=now
    )
    if failed or retried:
        logger.warning("outbox: reclaimed %s stuck message(s), %s failed", retried, failed)
    return failed + retried


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
