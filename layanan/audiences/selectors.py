"""Reads for audience requests, scoped to what the user may see (``case.view``): the requests
of their units and below, plus those handed to their division."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from layanan.accounts.permissions import can
from layanan.cases.models import CaseKind
from layanan.cases.numbering import normalise_public_code
from layanan.cases.selectors import visible_through_q

from .models import AudienceDetail

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from layanan.accounts.models import User

LIST_PAGE_SIZE = 50
JOINS = ("case", "case__unit", "case__assigned_unit", "case__standard")


def audiences_visible_to(user: User) -> QuerySet[AudienceDetail]:
    """Audience requests ``user`` may see (the ``cases_visible_to`` rule); the staff pages and
    the API read through it."""
    return AudienceDetail.objects.filter(case__kind=CaseKind.AUDIENCE).filter(
        visible_through_q(user, "case__")
    )


def audiences_for(user: User, *, status: str = "", q: str = "") -> QuerySet[AudienceDetail]:
    qs = audiences_visible_to(user).select_related(*JOINS).order_by("-case__received_at", "-pk")
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
