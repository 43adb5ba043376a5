"""Reads for audience requests, scoped to what the user may see (``case.view``): the requests
of their units and below, plus those handed to their division."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import Case, CaseKind
from layanan.cases.numbering import normalise_public_code

from .audience_models import AudienceDetail

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from layanan.accounts.models import User
    from layanan.cases.models import CaseEvent

LIST_PAGE_SIZE = 50
JOINS = ("case", "case__unit", "case__assigned_unit", "case__standard")


def audiences_for(user: User, *, status: str = "", q: str = "") -> QuerySet[AudienceDetail]:
    units = visible_units(user, "case.view")
    qs = (
        AudienceDetail.objects.filter(case__kind=CaseKind.AUDIENCE)
        .filter(Q(case__unit__in=units) | Q(case__assigned_unit__in=units))
        .select_related(*JOINS)
        .order_by("-case__received_at", "-pk")
    )
    if status:
        qs = qs.filter(case__status=status)
    text = (q or "").strip()
    if text:
        condition = (
            Q(case__number__icontains=text)
            | Q(organisation__icontains=text)
            | Q(topic__icontains=text)
            | Q(reply_number__icontains=text)
            | Q(case__requester_name__icontains=text)
        )
        code = normalise_public_code(text)
        if len(code) >= 4:
            condition |= Q(case__public_code__contains=code)
        qs = qs.filter(condition)
    return qs


def audience_for_staff(user: User, ref: str) -> AudienceDetail | None:
    """The request by case number (or case primary key), if ``user`` may see it."""
    lookup = Q(case__number=ref)
    if ref.isdigit():
        lookup |= Q(case__pk=int(ref))
    detail = (
        AudienceDetail.objects.filter(lookup, case__kind=CaseKind.AUDIENCE)
        .select_related(*JOINS, "disposed_by", "scheduled_by", "replied_by")
        .first()
    )
    if detail is None or not can(user, "case.view", detail.case):
        return None
    return detail


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "pk")
