"""A requester's identity: the one place that reads it for people to see.

Three kinds of reporter:

- **anonymous**: nothing is stored (a database constraint says so), nothing to show;
- **named** (neither anonymous nor confidential): staff who may see the case see the reporter
  (:func:`requester_identity_for`);
- **confidential**: the identity is kept but shown only to a *complaint officer* whose unit is
  the case's unit or a unit above it (or the division the case is assigned to) — the rule
  ``case.view_identity`` in accounts/permissions.py, which a superuser does not bypass — and
  only through :func:`requester_identity_reveal`, which records every showing as an internal
  ``identity_viewed`` case event and an ``identity_viewed`` audit entry.

:func:`requester_identity_for` never reveals a confidential reporter, to anyone: lists,
exports, action answers and every page that only shows named reporters call it. The staff case
page (the "show identity" action) and ``GET /api/v1/complaints/{id}`` call the reveal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.permissions import can
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import AuditAction

from .events import case_event_record
from .models import Case


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    phone: str
    organisation: str

    @classmethod
    def of(cls, case: Case) -> Identity:
        return cls(
            name=case.requester_name,
            email=case.requester_email,
            phone=case.requester_phone,
            organisation=case.requester_organisation,
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def may_reveal_identity(user, case: Case) -> bool:
    """True when ``user`` may have this case's confidential reporter revealed to them."""
    return case.is_confidential and not case.is_anonymous and can(user, "case.view_identity", case)


def requester_identity_for(user, case: Case) -> Identity | None:
    """The reporter of a case that is neither anonymous nor confidential, if ``user`` may see
    the case; None otherwise. Never reveals a confidential reporter (see the reveal) and
    records nothing."""
    if case.is_anonymous or case.is_confidential:
        return None
    if not can(user, "case.view", case):
        return None
    return Identity.of(case)


@transaction.atomic
def requester_identity_reveal(*, actor, case: Case) -> Identity:
    """The confidential reporter of ``case``, for the complaint officer of its unit only.

    Refuses (``NotPermitted``) everyone else, a superuser included; refuses an anonymous case
    (nothing is stored) and one that is not confidential (read it with
    :func:`requester_identity_for`). Each reveal records who looked and when: an internal
    ``identity_viewed`` case event and an audit entry, in the same transaction.
    """
    if case.is_anonymous:
        raise ApplicationError(
            _("This complaint is anonymous: no identity is stored."), "anonymous"
        )
    if not case.is_confidential:
        raise ApplicationError(_("This reporter is not confidential."), "not_confidential")
    if not may_reveal_identity(actor, case):
        raise NotPermitted(_("You are not allowed to do this."), "permission_denied")
    case_event_record(case=case, actor=actor, kind="identity_viewed", internal=True)
    audit_log(actor=actor, action=AuditAction.IDENTITY_VIEWED, target=case, unit=case.unit)
    return Identity.of(case)
