"""Helpers for the report tests: cases with chosen times, straight into the table."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from layanan.cases.models import Case, CaseKind, Channel, Status

TZ = ZoneInfo("Asia/Pontianak")
_seq = itertools.count(1)


def at(day: str, hm: str = "08:00") -> dt.datetime:
    """An office-time moment: at("2026-10-05", "09:30")."""
    return dt.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=TZ)


def make_case(
    unit,
    *,
    received,
    kind=CaseKind.COMPLAINT,
    channel=Channel.WEB,
    status=None,
    due=None,
    first_response=None,
    answered=None,
    closed=None,
    standard=None,
    assigned_unit=None,
    **extra,
) -> Case:
    n = next(_seq)
    if status is None:
        status = Status.CLOSED if closed else Status.ANSWERED if answered else Status.RECEIVED
    return Case.objects.create(
        kind=kind,
        number=f"T/{kind}/{n:06d}",
        public_code=f"T{n:011d}",
        unit=unit,
        channel=channel,
        status=status,
        received_at=received,
        due_at=due,
        first_response_at=first_response,
        answered_at=answered,
        closed_at=closed,
        standard=standard,
        assigned_unit=assigned_unit,
        **extra,
    )


@pytest.fixture
def case_factory(db):
    return make_case
