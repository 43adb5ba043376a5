"""Answers in the same e-mail thread: what a message to the reporter of a case that came by
e-mail carries so that their mail program shows it under their own message.

- ``In-Reply-To``: the newest message of theirs on the case;
- ``References``: the thread as they sent it (their references, oldest first) and their
  messages on the case, capped;
- ``Subject``: ``Re:`` and their first subject (mail programs that thread by subject, Gmail
  among them, need it), with the case number, which also finds the case when a reply loses its
  headers;
- ``Reply-To``: the unit's mailbox, so their reply is read by the intake.
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar

from layanan.cases.models import Case, Channel

from .models import IntakeChannel, IntakeMessage, IntakeStatus

#: The prefix mail programs put before the subject of a reply ("Re:", "Bls:", "AW:", …).
REPLY_PREFIX = re.compile(r"^\s*(re|bls|balas|balasan|aw|sv|antw|r)\s*(\[\d+\])?\s*:", re.I)

MAX_REFERENCES = 20

#: The message being turned into a case right now: the case's acknowledgement is queued inside
#: ``complaint_create``, before the message row points at the new case.
_converting: ContextVar[IntakeMessage | None] = ContextVar("intake_converting", default=None)


@contextlib.contextmanager
def converting(message: IntakeMessage):
    token = _converting.set(message)
    try:
        yield
    finally:
        _converting.reset(token)


def email_thread_for(case: Case) -> dict | None:
    """``{"subject": …, "headers": {…}}`` for a message about ``case`` to its reporter, or
    ``None`` when the case did not come by e-mail."""
    if case.channel != Channel.EMAIL:
        return None
    messages = list(
        IntakeMessage.objects.filter(
            case=case,
            channel=IntakeChannel.EMAIL,
            status__in=(IntakeStatus.CONVERTED, IntakeStatus.ATTACHED),
        )
        .select_related("mailbox")
        .order_by("received_at", "pk")
    )
    pending = _converting.get()
    if not messages and pending is not None and pending.channel == IntakeChannel.EMAIL:
        messages = [pending]
    if not messages:
        return None
    first, last = messages[0], messages[-1]
    references = [*reversed(first.thread_ids), *(m.external_id for m in messages)]
    references = list(dict.fromkeys(references))[-MAX_REFERENCES:]
    headers = {"In-Reply-To": last.external_id, "References": " ".join(references)}
    mailbox = last.mailbox or first.mailbox
    if mailbox is not None:
        headers["Reply-To"] = mailbox.address
    subject = REPLY_PREFIX.sub("", first.subject or "").strip() or case.subject
    if case.number not in subject:
        subject = f"{subject} [{case.number}]"
    return {"subject": f"Re: {subject}"[:255], "headers": headers}
