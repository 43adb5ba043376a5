"""Private reads of the intake queue, in one place: what a member of staff may see of it, and
which case an arriving message belongs to (the matching rules: see ``services``' docstring)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from layanan.accounts.permissions import visible_units
from layanan.cases.models import Case, Status
from layanan.cases.workflow import REOPEN_WINDOW
from layanan.core.models import Unit
from layanan.core.phones import phone_or_none

from .models import IntakeAttachment, IntakeChannel, IntakeMessage, IntakeStatus
from .threading import REPLY_PREFIX

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from layanan.accounts.models import User

    from .incoming import Incoming
    from .models import IntakeMessage

QUEUE_PAGE_SIZE = 25
STATUS_ALL = "all"


def intake_visible_to(user: User) -> QuerySet[IntakeMessage]:
    """Messages of the units where ``user`` may triage (their unit and the units below)."""
    return IntakeMessage.objects.filter(unit__in=visible_units(user, "intake.triage"))


def intake_queue(
    user: User, *, status: str = IntakeStatus.NEW, channel: str = "", q: str = ""
) -> QuerySet[IntakeMessage]:
    """The queue as the page lists it: oldest first while waiting (the deadline runs from
    receipt), newest first otherwise."""
    messages = intake_visible_to(user).select_related("unit", "case", "suggested_case")
    if status != STATUS_ALL:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    if q:
        messages = messages.filter(
            Q(subject__icontains=q) | Q(sender_address__icontains=q) | Q(text__icontains=q)
        )
    messages = messages.annotate(files=Count("attachments"))
    if status == IntakeStatus.NEW:
        return messages.order_by("received_at", "pk")
    return messages.order_by("-received_at", "-pk")


def intake_waiting_count(user: User) -> int:
    """How many messages wait for triage in ``user``'s units (the badge)."""
    return intake_visible_to(user).filter(status=IntakeStatus.NEW).count()


def intake_message_for(user: User, pk: int) -> IntakeMessage | None:
    return (
        intake_visible_to(user)
        .select_related("unit", "case", "suggested_case", "mailbox", "decided_by")
        .filter(pk=pk)
        .first()
    )


def next_waiting(user: User, after: IntakeMessage) -> IntakeMessage | None:
    """The next message waiting for triage after ``after`` (by time of receipt)."""
    waiting = intake_visible_to(user).filter(status=IntakeStatus.NEW).exclude(pk=after.pk)
    later = waiting.filter(
        Q(received_at__gt=after.received_at) | Q(received_at=after.received_at, pk__gt=after.pk)
    )
    return later.order_by("received_at", "pk").first() or waiting.order_by("received_at").first()


def intake_attachment_for(user: User, pk: int) -> IntakeAttachment | None:
    return (
        IntakeAttachment.objects.filter(
            message__unit__in=visible_units(user, "intake.triage"), refused=""
        )
        .exclude(file="")
        .filter(pk=pk)
        .first()
    )


def hides_sender(message: IntakeMessage) -> bool:
    """A message that became (or joined) an anonymous or confidential case no longer shows
    who sent it: the case's identity rules hold for it too (cases/identity.py)."""
    case = message.case
    return case is not None and (case.is_anonymous or case.is_confidential)


# --- matching a message to a case -----------------------------------------------------------

CASE_NUMBER = re.compile(r"\b([A-Z0-9][A-Z0-9-]*/[A-Z]{2,6}/\d{4}/\d{6})\b", re.IGNORECASE)

MATCH_THREAD, MATCH_SUBJECT, MATCH_SENDER, MATCH_STAFF = "thread", "subject", "sender", "staff"

#: Case statuses a requester's message joins by itself; a closed case is reopened within the
#: reopening window.
JOINABLE = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED)


def _cases_of(unit: Unit) -> QuerySet[Case]:
    """Cases a message to ``unit``'s mailbox may belong to: the unit's and its divisions'."""
    return Case.objects.filter(unit__in=Unit.objects.subtree_of([unit]))


def match_case(unit: Unit, incoming: Incoming) -> tuple[Case | None, str]:
    """The case ``incoming`` belongs to and by which rule (the order is in ``services``'
    docstring)."""
    from layanan.notify.models import OutboxMessage

    ids = list(incoming.thread_ids)
    if ids:
        by_id: dict[str, int] = {}
        for message_id, case_id in OutboxMessage.objects.filter(
            provider_message_id__in=ids, case_id__isnull=False
        ).values_list("provider_message_id", "case_id"):
            assert case_id is not None  # filtered on case_id__isnull=False
            by_id.setdefault(message_id, case_id)
        for message_id, case_id in IntakeMessage.objects.filter(
            unit=unit, channel=incoming.channel, external_id__in=ids, case__isnull=False
        ).values_list("external_id", "case_id"):
            by_id.setdefault(message_id, case_id)
        cases = {c.pk: c for c in _cases_of(unit).filter(pk__in=set(by_id.values()))}
        for message_id in ids:  # nearest first
            case = cases.get(by_id.get(message_id, 0))  # 0: no case has that key
            if case is not None:
                return case, MATCH_THREAD
    for number in CASE_NUMBER.findall(incoming.subject or ""):
        case = _cases_of(unit).filter(number=number.upper()).first()
        if case is not None:
            return case, MATCH_SUBJECT
    if incoming.sender_address and incoming.channel == IntakeChannel.EMAIL:
        case = (
            _cases_of(unit)
            .filter(requester_email__iexact=incoming.sender_address, status__in=JOINABLE)
            .order_by("-received_at", "-pk")
            .first()
        )
        if case is not None:
            return case, MATCH_SENDER
    if incoming.sender_address and incoming.channel == IntakeChannel.WHATSAPP:
        case = _open_case_of_phone(unit, incoming.sender_address)
        if case is not None:
            return case, MATCH_SENDER
    return None, ""


def _open_case_of_phone(unit: Unit, phone: str) -> Case | None:
    """The newest open case of ``unit`` (or its divisions) whose requester gave this phone
    number, however it was typed (0858-…, +62 858…): both are in E.164."""
    wanted = phone_or_none(phone)
    if wanted is None:
        return None
    # Stored in E.164 by the one rule (layanan.core.phones): an exact match.
    return (
        _cases_of(unit)
        .filter(requester_phone=wanted, status__in=JOINABLE)
        .order_by("-received_at", "-pk")
        .first()
    )


def is_reply(incoming: Incoming) -> bool:
    """The message names a Message-ID, or its subject starts with ``Re:``/``Bls:``…"""
    return bool(incoming.thread_ids) or bool(REPLY_PREFIX.match(incoming.subject or ""))


def joins_by_itself(case: Case, now: dt.datetime | None = None) -> bool:
    """An open or answered case takes the message; a closed one only within the reopening
    window (it is reopened); a rejected or withdrawn one never (the officer decides)."""
    if case.status in JOINABLE:
        return True
    if case.status == Status.CLOSED:
        now = now or timezone.now()
        return case.closed_at is None or now - case.closed_at <= REOPEN_WINDOW
    return False
