"""The audit log: one entry for every audited write, written by :func:`audit_log` only.

Case changes have their own timeline (``CaseEvent``); this log covers the other writes that an
auditor must be able to follow — publishing or archiving a standard, creating or revoking an API
token, changing a member's role, editing a reply letter template, viewing a confidential
reporter's identity, exporting a person's data, confirming a holiday against the decree
(``AuditAction`` lists them all). In the spirit of
pretix's ``LoggedModel.log_action``: who (a user, or an explicit system label for commands and
tasks), when, the action code, the target (content type, id and a short text), the unit for
scoping, and a JSON of non-secret details.

Never put secrets in ``data``: no token value, password or one-time code, and no reporter's
identity (name, e-mail address, telephone number). Keys that look like one are refused with a
``ValueError`` — a programming error, not user input. The entry is written in the caller's
transaction, so a write that rolls back leaves no entry, and an entry never exists without its
write.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from .models import AuditAction, AuditEntry, Unit

#: Keys that must never reach the log: secrets and personal identity.
_FORBIDDEN_KEY = re.compile(
    r"pass(word)?|secret|token|^key$|_key$|otp|pin$|"
    r"e-?mail|phone|requester|recipient|^name$|identity",
    re.IGNORECASE,
)

SYSTEM = "system"


def _check_data(data: Any, path: str = "") -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if _FORBIDDEN_KEY.search(str(key)):
                raise ValueError(f"audit data must not carry secrets or identities: {path}{key}")
            _check_data(value, f"{path}{key}.")
    elif isinstance(data, list | tuple):
        for value in data:
            _check_data(value, path)


def _unit_of(target: Any) -> Unit | None:
    from layanan.accounts.permissions import unit_of

    try:
        return unit_of(target)
    except ObjectDoesNotExist:  # a one-to-one relation named "unit" or "standard" left empty
        return None


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    unit: Unit | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Record one audited write.

    ``actor`` is the user who did it, or a string naming the system actor (``"manage.py
    export_personal_data"``, ``"sla_sweep"``); None is recorded as ``"system"``. ``unit``
    defaults to the target's unit. ``data`` is a JSON-serialisable dict of non-secret details.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}: add it to core.models.AuditAction")
    data = dict(data or {})
    _check_data(data)
    user = None
    if actor is None:
        label = SYSTEM
    elif isinstance(actor, str):
        label = actor.strip() or SYSTEM
    else:
        user = actor if getattr(actor, "is_authenticated", False) else None
        label = actor.get_username() if user is not None else SYSTEM
    target_type = target_id = None
    target_repr = ""
    if target is not None:
        target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        target_id = str(target.pk)
        target_repr = str(target)[:200]
        if unit is None:
            unit = _unit_of(target)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        target_type=target_type,
        target_id=target_id or "",
        target_repr=target_repr,
        unit=unit,
        data=data,
    )
