"""Writes to cases that every kind shares: creation with number, code, deadline and first event
(the deadline itself: ``cases/deadlines.py``), and handing a case on to a division."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from layanan.accounts.actors import user_or_none
from layanan.core.errors import ApplicationError
from layanan.core.phones import requester_phone
from layanan.workdays.durations import Duration

from .deadlines import case_recompute_due, standard_duration
from .events import case_event_record
from .models import Case, Status
from .numbering import allocate_number, new_public_code

if TYPE_CHECKING:
    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User
    from layanan.catalog.models import ServiceStandard
    from layanan.core.models import Unit


def case_create(
    *,
    actor: AnyActor,
    kind: str,
    unit: Unit,
    channel: str,
    received_at: dt.datetime | None = None,
    standard: ServiceStandard | None = None,
    duration: Duration | None = None,
    event_note: str = "",
    **fields,
) -> Case:
    """Create a case with its number, tracking code, deadline and first event.

    Call inside the transaction that also writes the kind's detail row. A requester's
    telephone number is stored in E.164 (``layanan.core.phones``: the one rule); one that is
    not a number raises ``ApplicationError`` ``invalid_phone`` before anything is written.
    """
    if "requester_phone" in fields:
        fields["requester_phone"] = requester_phone(fields["requester_phone"])
    with transaction.atomic():
        received_at = received_at or timezone.now()
        version = standard.published_version if standard is not None else None
        number = allocate_number(unit=unit, kind=kind, year=timezone.localtime(received_at).year)
        public_code = new_public_code()
        # Unique across every unit, whatever the caller's unit scope: the unscoped base manager.
        while Case._base_manager.filter(public_code=public_code).exists():  # ~1 in 10**17
            public_code = new_public_code()
        case = Case(
            kind=kind,
            number=number,
            public_code=public_code,
            unit=unit,
            standard=standard,
            standard_version=version,
            channel=channel,
            status=Status.RECEIVED,
            received_at=received_at,
            created_by=user_or_none(actor),
            **fields,
        )
        # The due time is known before the row is written: one INSERT, no UPDATE after it.
        case_recompute_due(case=case, save=False, duration=duration or standard_duration(standard))
        case.save(force_insert=True)
        case_event_record(
            case=case,
            actor=actor,
            kind="received",
            new=Status.RECEIVED,
            note=event_note,
            at=received_at,
        )
        return case


def ensure_own_division(
    case: Case, division: Unit, *, refusal: str, divisions_only: bool = False
) -> None:
    """Raise ``ApplicationError("foreign_division")`` (worded ``refusal``) unless ``division``
    is the case's unit or below it (with ``divisions_only``: below it). :func:`case_assign`
    checks it; a caller with more rules checks it first, so a foreign division is the error
    shown whatever else is wrong."""
    if not division.is_within(case.unit) or (divisions_only and division.pk == case.unit_id):
        raise ApplicationError(refusal, "foreign_division")


class _Unchanged:
    """The assignee argument's default: leave the case's person as it is."""


UNCHANGED = _Unchanged()


def case_assign(
    *,
    actor: AnyActor,
    case: Case,
    division: Unit,
    refusal: str,
    event: str = "assigned",
    note: str = "",
    internal: bool = True,
    at: dt.datetime | None = None,
    assignee: User | _Unchanged | None = UNCHANGED,
    divisions_only: bool = False,
) -> Case:
    """Give ``case`` to ``division`` and record it on the timeline — the one place every kind
    hands a case on (a complaint's assignment, an audience's disposition, a visit's routing).

    The rule that lives here: a case goes only to its own unit or a unit below it (with
    ``divisions_only``, below it — a visit is routed *to a Bagian*); anything else raises
    ``ApplicationError("foreign_division")`` with the caller's ``refusal`` wording. With
    ``assignee`` (a person, or None to clear), the case's person changes too; who may be given
    which case is the caller's rule (``complaints.services.assignees_for``), as is the
    permission to hand it on (each kind has its own action). The event ``event`` carries the
    division's name before and after and ``note``.

    Call it inside the caller's transaction, with the case row locked (``select_for_update``).
    """
    ensure_own_division(case, division, refusal=refusal, divisions_only=divisions_only)
    old = case.assigned_unit.name if case.assigned_unit is not None else ""
    case.assigned_unit = division
    fields = ["assigned_unit", "updated_at"]
    if not isinstance(assignee, _Unchanged):
        case.assignee = assignee
        fields.append("assignee")
    case.save(update_fields=fields)
    case_event_record(
        case=case,
        actor=actor,
        kind=event,
        old=old,
        new=division.name,
        note=note,
        internal=internal,
        at=at,
    )
    return case
