"""Sending the outbox: claim due rows one at a time, deliver each through its channel, record
the outcome (sent; pending again with backoff; failed; cancelled when the channel is off), and
reclaim rows a crashed worker left in "sending". Queueing is ``services.py``; the task and the
``dispatch_outbox`` command run :func:`outbox_dispatch`, outside any transaction (each claim
commits on its own so that two dispatchers never send the same row)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import ChannelDisabled, DeliveryError, deliver
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger("layanan.notify")


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


def _due(now: dt.datetime, skip_channels: Iterable[str]):
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
