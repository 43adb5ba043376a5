"""Writes to cases that every kind shares: creation with number, code, deadline and first event
(the deadline itself: ``cases/deadlines.py``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from layanan.accounts.actors import user_or_none
from layanan.core.phones import requester_phone
from layanan.workdays.durations import Duration

from .deadlines import case_recompute_due, standard_duration
from .events import case_event_record
from .models import Case, Status
from .numbering import allocate_number, new_public_code

if TYPE_CHECKING:
    from layanan.accounts.actors import AnyActor
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
