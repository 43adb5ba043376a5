"""Private reads of the intake queue, in one place: what a member of staff may see of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from layanan.accounts.permissions import visible_units

from .models import IntakeAttachment, IntakeMessage, IntakeStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from layanan.accounts.models import User

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
