"""The one place that answers "may this user do X (on this object)?".

Rules are data: ``RULES`` maps an action to the roles that may perform it and to its reach:

- ``unit``: the user needs one of the roles in the object's unit or an ancestor of it
  (a member acts on their unit and everything below it, never on a sibling's);
- ``global``: one of the roles in any unit suffices (catalogue-wide or read-everything roles).

Superusers may do everything — except what a rule marks ``superuser=False``: seeing a
confidential reporter is for the unit's complaint officer only, whoever else holds the keys
(see cases/identity.py). The ``SYSTEM`` actor (commands, tasks) may do everything; the
``PUBLIC`` actor (a citizen) may nothing; ``None`` is a ``TypeError`` (``accounts/actors.py``).
Auditors read across all units but never write. Every view, API endpoint and service calls
:func:`can` / :func:`ensure_can`; the matrix is tested in tests/accounts/test_permissions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from layanan.core.errors import NotPermitted
from layanan.core.models import Unit

from .actors import PUBLIC, SYSTEM, require_actor
from .models import Membership, Role

R = Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    reach: str = "unit"  # "unit" or "global"
    cross_unit_roles: frozenset[str] = frozenset()  # roles that reach every unit (auditor)
    superuser: bool = True  # False: a superuser needs the role like everyone else


def _rule(
    *roles: str, reach: str = "unit", cross_unit: tuple[str, ...] = (), superuser: bool = True
) -> Rule:
    return Rule(frozenset(roles), reach, frozenset(cross_unit), superuser)


STAFF_ROLES = (R.FRONT_DESK, R.COMPLAINT_OFFICER, R.HANDLER, R.HEAD, R.AUDITOR, R.ADMIN)

RULES: dict[str, Rule] = {
    # Catalogue
    "catalog.view_unpublished": _rule(*STAFF_ROLES, cross_unit=(R.AUDITOR, R.ADMIN)),
    "catalog.view_completeness": _rule(*STAFF_ROLES, cross_unit=(R.AUDITOR, R.ADMIN)),
    "catalog.edit": _rule(R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "catalog.publish": _rule(R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "catalog.import": _rule(R.ADMIN, reach="global"),
    # Cases: members act on their unit's cases and below; auditors read everything.
    "case.view": _rule(*STAFF_ROLES, cross_unit=(R.AUDITOR, R.ADMIN)),
    "case.create": _rule(R.FRONT_DESK, R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "case.verify": _rule(R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "case.assign": _rule(R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "case.work": _rule(
        R.FRONT_DESK, R.COMPLAINT_OFFICER, R.HANDLER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)
    ),
    "case.answer": _rule(R.COMPLAINT_OFFICER, R.HANDLER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "case.close": _rule(R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # Disposition (disposisi) of an audience request to a division: the head of unit.
    "case.dispose": _rule(R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # The unit's reply letter template (number pattern, text, signatory).
    "letters.edit": _rule(R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # Sending a complaint's answer to the reporter: the handler drafts, the officer/head sends.
    "case.send_answer": _rule(R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # Who may see a confidential reporter's identity: the complaint officer of the case's unit
    # (or of a unit above it, or of the division it is assigned to) only — a superuser too
    # needs that membership. Through cases/identity.py, which records every reading.
    "case.view_identity": _rule(R.COMPLAINT_OFFICER, superuser=False),
    # Visits: the front desk routes walk-in consultations to a Bagian; whoever served (front
    # desk, or the Bagian's handler) records the outcome and closes the visit.
    "visit.route": _rule(R.FRONT_DESK, R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    "visit.finish": _rule(
        R.FRONT_DESK, R.COMPLAINT_OFFICER, R.HANDLER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)
    ),
    # The intake queue (mail and messages that arrived by themselves): the complaint officer
    # turns each into a case, adds it to one, or dismisses it.
    "intake.triage": _rule(R.COMPLAINT_OFFICER, R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # Staff area
    "staff.access": _rule(*STAFF_ROLES, reach="global"),
    "api.use_staff": _rule(*STAFF_ROLES, reach="global"),
    # Reports: heads read their units' dashboards and reports, auditors every unit's.
    "report.view": _rule(R.HEAD, R.AUDITOR, R.ADMIN, cross_unit=(R.AUDITOR, R.ADMIN)),
    "report.follow_up": _rule(R.HEAD, R.ADMIN, cross_unit=(R.ADMIN,)),
    # Performance evaluation (layanan/evaluation, docs/evaluation.md). The monthly evaluation
    # meeting: every member of the unit reads its record, auditors every unit's; the head leads
    # it and writes the record (date, attendees, minutes, decisions, follow-up actions).
    "evaluation.meeting_view": _rule(*STAFF_ROLES, cross_unit=(R.AUDITOR, R.ADMIN)),
    "evaluation.meeting_edit": _rule(R.HEAD),
    # "Evaluasi kinerja pelaksana": the per-officer figures, for the head and the auditor.
    "evaluation.performance_view": _rule(R.HEAD, R.AUDITOR, cross_unit=(R.AUDITOR,)),
    # The register of reprimands (teguran lisan / tertulis): the head of the officer's unit (or
    # of a unit above it) and the auditor — and the officer concerned, their own entries only
    # (evaluation/selectors.py: a person, not a role) — never a colleague, and a superuser only
    # through one of those roles, as for a confidential reporter's identity.
    "evaluation.reprimand_view": _rule(R.HEAD, R.AUDITOR, cross_unit=(R.AUDITOR,), superuser=False),
    "evaluation.reprimand_give": _rule(R.HEAD, superuser=False),
    # The SKM report of a survey period (aggregates, anonymous suggestions, the follow-up plan
    # the head writes): every member of the unit reads it, since the plan is theirs to carry out.
    "report.skm_view": _rule(*STAFF_ROLES, cross_unit=(R.AUDITOR, R.ADMIN)),
    # What staff administer in the Django admin (accounts/admin_access.py), within their unit:
    # office hours and resources (head, administrator); national and local holidays, which
    # every unit shares (administrator); the people of the unit and their roles (administrator).
    "calendar.edit": _rule(R.HEAD, R.ADMIN),
    "calendar.holidays": _rule(R.ADMIN, reach="global"),
    "resources.edit": _rule(R.HEAD, R.ADMIN),
    "people.manage": _rule(R.ADMIN),
    # The audit log (core.AuditEntry) in the Django admin: auditors read it, nobody writes it.
    "audit.view": _rule(R.AUDITOR, reach="global"),
}


def roles_for(user) -> list[tuple[str, Unit]]:
    """The user's (role, unit) pairs, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_layanan_roles", None)
    if cached is None:
        cached = [
            (m.role, m.unit) for m in Membership.objects.filter(user=user).select_related("unit")
        ]
        user._layanan_roles = cached
    return cached


def unit_of(obj: Any) -> Unit | None:
    if obj is None:
        return None
    if isinstance(obj, Unit):
        return obj
    unit = getattr(obj, "unit", None)
    if unit is None and hasattr(obj, "standard"):
        unit = getattr(obj.standard, "unit", None)
    return unit


def can(user, action: str, obj: Any = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"Unknown permission action {action!r}")
    if require_actor(user) is SYSTEM or user is PUBLIC:  # explicit actors, never None
        return user is SYSTEM
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser and rule.superuser:
        return True
    pairs = roles_for(user)
    if rule.reach == "global" or obj is None:
        return any(role in rule.roles for role, _unit in pairs)
    units = [u for u in (unit_of(obj), getattr(obj, "assigned_unit", None)) if u is not None]
    if not units:
        return False
    # A case assigned to a division is also within reach of that division's members.
    for role, member_unit in pairs:
        if role not in rule.roles:
            continue
        if role in rule.cross_unit_roles or any(u.is_within(member_unit) for u in units):
            return True
    return False


def ensure_can(user, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise NotPermitted(_("You are not allowed to do this."), "permission_denied")


def members_who_can(action: str, obj: Any, *, within: Unit):
    """Active accounts that may do ``action`` on ``obj`` through a membership held in ``within``
    or a unit below it: :data:`RULES` read from the other side, for lists of people to choose
    from (who may be given a case). A superuser's flag alone does not list anyone: work goes to
    people by their role in the office, never to the keyholder."""
    from django.db.models import Q

    from .models import User

    rule = RULES[action]
    if rule.reach == "global":
        reach = Q(memberships__role__in=rule.roles)
    else:
        targets = [u for u in (unit_of(obj), getattr(obj, "assigned_unit", None)) if u is not None]
        above = {int(pk) for unit in targets for pk in unit.path.strip("/").split("/") if pk}
        reach = Q(memberships__role__in=rule.roles, memberships__unit__in=above)
        if rule.cross_unit_roles:
            reach |= Q(memberships__role__in=rule.roles & rule.cross_unit_roles)
    # One filter() call: both conditions hold for the same membership.
    inside = Q(memberships__unit__path__startswith=within.path)
    return User.objects.filter(reach & inside, is_active=True).distinct()


def visible_units(user, action: str):
    """Units on which ``user`` may perform ``action`` (a queryset, for scoping lists)."""
    rule = RULES[action]
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser and rule.superuser:
        return Unit.objects.all()
    pairs = [(role, unit) for role, unit in roles_for(user) if role in rule.roles]
    if any(role in rule.cross_unit_roles for role, _unit in pairs) or (
        rule.reach == "global" and pairs
    ):
        return Unit.objects.all()
    return Unit.objects.subtree_of([unit for _role, unit in pairs])


def sees_every_unit(user, action: str = "case.view") -> bool:
    """True for superusers and for roles that reach every unit (auditor, admin) for ``action``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    rule = RULES[action]
    return any(
        role in rule.roles and role in rule.cross_unit_roles for role, _unit in roles_for(user)
    )


def visible_unit_ids(user) -> list[int]:
    """Primary keys of the units whose cases ``user`` may view, read once per user object.

    A literal id list, not a subquery: ``unit_id IN (SELECT …) OR assigned_unit_id IN
    (SELECT …)`` makes PostgreSQL scan the whole cases table, while ``IN (1, 2, 3)`` on both
    columns uses the (unit, status, due) and (assigned unit, status) indexes — 1.1 s against
    0.07 s for an inbox page at a million cases (bench/README.md)."""
    cached = user.__dict__.get("_visible_case_unit_ids")
    if cached is None:
        cached = list(visible_units(user, "case.view").values_list("pk", flat=True))
        user.__dict__["_visible_case_unit_ids"] = cached
    return cached
