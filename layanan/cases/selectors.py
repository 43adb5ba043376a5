"""Reads of cases for staff: scoping (who may see which case), the inbox and the detail page.

Scoping follows ``accounts.permissions`` exactly: a member sees the cases of their unit and
everything below it, plus cases assigned to a division in their reach (a handler of a Bagian sees
what the Biro assigned to that Bagian) — never a sibling unit's. Auditors and administrators (and
superusers) see every unit. Every list query goes through :func:`cases_visible_to`, and owns its
``select_related`` so that a page costs a constant number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Left
from django.utils import timezone

from layanan.accounts.permissions import (
    sees_every_unit,
    visible_unit_ids,
    visible_units,
)
from layanan.core.models import Unit, UnitKind
from layanan.core.phones import phone_or_none

from .events import ANSWER_DRAFT_EVENT
from .models import FINAL_STATUSES, Case, CaseEvent, SlaState, Status
from .numbering import normalise_public_code
from .thresholds import within_warning, within_warning_q

if TYPE_CHECKING:
    from layanan.accounts.models import User

    from .models import Attachment

#: Statuses in which the clock runs (open and not waiting on the requester).
ACTIVE_STATUSES = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)

#: Inbox status filter values besides the statuses themselves.
STATUS_OPEN = "open"
STATUS_ALL = "all"

#: Inbox assignee filter values besides a user's primary key.
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"

INBOX_PAGE_SIZE = 50
#: Characters of the description an inbox row can show (as ``summary``).
SUMMARY_LENGTH = 120

# A running case is "due soon" on the SLA sweep's thresholds (layanan/cases/sla.py: 1 hour for
# limits in minutes or hours, 24 hours for limits in days), or when the sweep flagged it.


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases ``user`` may ``case.view``: their units' subtrees, plus cases assigned to a division
    in those subtrees. Nothing for anonymous or inactive users or users without a staff role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    if sees_every_unit(user):
        return Case.objects.all()
    units = visible_unit_ids(user)
    return Case.objects.filter(Q(unit_id__in=units) | Q(assigned_unit_id__in=units))


def visible_through_q(user: User, prefix: str) -> Q:
    """The rule of :func:`cases_visible_to` for rows that reach their case through ``prefix``
    (``"case__"``: a facility or audience request's details), with the units as a subquery:
    one query for the page, none of its own. Those tables are not unit-scoped, so no scope has
    read the literal id list (``visible_unit_ids``) already."""
    units = visible_units(user, "case.view")
    return Q(**{f"{prefix}unit__in": units}) | Q(**{f"{prefix}assigned_unit__in": units})


def running_q() -> Q:
    """Open and the clock running (not waiting on the requester)."""
    return Q(status__in=ACTIVE_STATUSES, paused_since__isnull=True)


def overdue_q(now: dt.datetime) -> Q:
    """**The** definition of overdue, used by the inbox, the API's ``overdue`` filter and
    ``is_overdue``, the SLA sweep's escalation, the reports and the tracking page: the clock
    runs (received, verified or in progress, not paused) and the due time is strictly before
    ``now``. At ``due_at == now`` a case is still on time — as the reports count a case
    finished at its due time as on time. Computed live, not read from the sweep's flag."""
    return running_q() & Q(due_at__lt=now)


def is_overdue(case: Case, now: dt.datetime) -> bool:
    """:func:`overdue_q` for one loaded case."""
    return (
        case.status in ACTIVE_STATUSES
        and case.paused_since is None
        and case.due_at is not None
        and case.due_at < now
    )


def due_soon_q(now: dt.datetime) -> Q:
    """Running, not yet overdue, and either due within the window or flagged by the sweep."""
    return (
        running_q() & Q(due_at__gte=now) & (within_warning_q(now) | Q(sla_state=SlaState.DUE_SOON))
    )


#: The badge of a case waiting on the requester (its clock stands still).
PAUSED = "paused"


def sla_badge(case: Case, now: dt.datetime) -> str:
    """``"overdue"``, ``"due_soon"``, ``"on_track"``, ``"paused"``, or ``""`` for a finished
    case or one without a due time — the same rules as :func:`overdue_q` and
    :func:`due_soon_q`, in Python for a case already loaded."""
    if case.status == Status.WAITING or case.paused_since is not None:
        return PAUSED if case.status not in FINAL_STATUSES else ""
    if case.status not in ACTIVE_STATUSES or case.due_at is None:
        return ""
    if is_overdue(case, now):
        return SlaState.OVERDUE.value
    if within_warning(case, now) or case.sla_state == SlaState.DUE_SOON:
        return SlaState.DUE_SOON.value
    return SlaState.ON_TRACK.value


def end_of_week(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 of next week in the office time zone (the end of "this week")."""
    local = timezone.localtime(now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    next_monday = monday + dt.timedelta(days=7)
    return dt.datetime.combine(next_monday, dt.time(0, 0), tzinfo=local.tzinfo)


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to; every field optional. ``status`` is a status value,
    ``"open"`` (the default: every open status) or ``"all"``. ``class_code`` ``"-"`` means
    "not classified yet"; ``assignee`` is ``"me"``, ``"none"`` or a user's primary key."""

    kind: str = ""
    status: str = STATUS_OPEN
    class_code: str = ""
    channel: str = ""
    overdue: bool = False
    due_this_week: bool = False
    assignee: str = ""  # "me", "none" or a user's primary key
    division: int | None = None
    q: str = ""


def identity_searchable_q(user: User) -> Q:
    """The cases whose requester ``user`` may find by name, e-mail, phone or organisation: those
    whose identity they may see (``cases/identity.py``). Never an anonymous case;
    a confidential one only for whoever may ``case.view_identity`` on it (the complaint officer
    of its unit or of the division it is assigned to); any other one (its visibility is the
    caller's scope, ``case.view``). A search must not tell anyone else who filed a confidential
    complaint."""
    ordinary = Q(is_anonymous=False, is_confidential=False)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ordinary
    # No superuser shortcut: ``case.view_identity`` is a rule a superuser does not bypass
    # (accounts/permissions.py), and visible_units applies it.
    cached = user.__dict__.get("_identity_unit_ids")
    if cached is None:
        cached = list(visible_units(user, "case.view_identity").values_list("pk", flat=True))
        user.__dict__["_identity_unit_ids"] = cached
    if not cached:
        return ordinary
    reach = Q(unit_id__in=cached) | Q(assigned_unit_id__in=cached)
    return ordinary | (Q(is_anonymous=False, is_confidential=True) & reach)


def case_search_q(text: str, user: User) -> Q:
    """The one search of staff lists (the inbox and the API's ``q``): number, tracking code,
    subject, description, LAPOR! number; the requester's name, e-mail, phone or organisation
    only where :func:`identity_searchable_q` allows it for ``user``."""
    condition = (
        Q(number__icontains=text)
        | Q(subject__icontains=text)
        | Q(description__icontains=text)
        | Q(complaint__lapor_number__iexact=text)
    )
    code = normalise_public_code(text)
    if len(code) >= 4:
        condition |= Q(public_code__contains=code)
    identity = (
        Q(requester_name__icontains=text)
        | Q(requester_email__icontains=text)
        | Q(requester_phone__icontains=text)
        | Q(requester_organisation__icontains=text)
    )
    phone = phone_or_none(text)
    if phone is not None:  # a whole number however typed: stored in E.164
        identity |= Q(requester_phone=phone)
    return condition | (identity & identity_searchable_q(user))


def inbox_cases(user: User, filters: InboxFilters, *, now: dt.datetime | None = None) -> InboxRows:
    """The staff inbox: visible cases narrowed by ``filters``, overdue first, then soonest due
    (no due time last), cases waiting on the requester and finished ones after the running ones;
    everything a row shows is joined in (no query per row)."""
    now = now or timezone.now()
    qs = _narrowed_by_case(cases_visible_to(user), filters, now)
    qs = _narrowed_by_handler(qs, filters, user)
    text = filters.q.strip()
    if text:
        qs = qs.filter(case_search_q(text, user))
    return InboxRows(qs, now)


def _narrowed_by_case(
    qs: QuerySet[Case], filters: InboxFilters, now: dt.datetime
) -> QuerySet[Case]:
    """The inbox filters about the case itself: status, kind, channel, class, due time."""
    if filters.status == STATUS_OPEN:
        qs = qs.filter(status__in=[*ACTIVE_STATUSES, Status.WAITING])
    elif filters.status and filters.status != STATUS_ALL:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.class_code == "-":
        qs = qs.filter(kind="complaint", complaint__class_code="")
    elif filters.class_code:
        qs = qs.filter(complaint__class_code=filters.class_code)
    if filters.overdue:
        qs = qs.filter(overdue_q(now))
    if filters.due_this_week:
        qs = qs.filter(running_q(), due_at__gte=now, due_at__lt=end_of_week(now))
    return qs


def _narrowed_by_handler(qs: QuerySet[Case], filters: InboxFilters, user: User) -> QuerySet[Case]:
    """The inbox filters about who handles it: the person (me, nobody, someone) and the Bagian."""
    if filters.assignee == ASSIGNEE_ME:
        qs = qs.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NONE:
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.division:
        qs = qs.filter(assigned_unit_id=filters.division)
    return qs


def _by_urgency(qs: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
    """What is burning first: overdue, then running by due time, then waiting on the requester
    (clock stopped), then finished cases."""
    return qs.annotate(
        urgency=SqlCase(
            When(overdue_q(now), then=Value(0)),
            When(running_q(), then=Value(1)),
            When(status=Status.WAITING, then=Value(2)),
            When(status__in=FINAL_STATUSES, then=Value(4)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    ).order_by("urgency", F("due_at").asc(nulls_last=True), "received_at", "pk")


#: The columns an inbox row reads: its number, kind, channel and status, subject, the deadline
#: badge's fields (``sla_badge``), unit, division, assignee and complaint class.
INBOX_ROW_FIELDS = (
    "number", "kind", "channel", "status", "subject", "received_at", "due_at", "paused_since",
    "sla_state", "sla_unit", "unit__name", "unit__short_name", "assigned_unit__name",
    "assigned_unit__short_name", "assignee__username", "assignee__full_name",
    "assignee__first_name", "assignee__last_name", "complaint__class_name",
)  # fmt: skip


class InboxRows:
    """The inbox's rows for ``Paginator``: ``count()`` and slices, each one query.

    A slice is a *deferred join*: the sort by urgency picks the page's ids from the bare cases
    table (a bounded top-N sort of narrow rows) and only those rows are joined to unit,
    division, assignee and complaint — sorting the joined full rows of every open case of a
    busy unit cost ten times more (bench/README.md)."""

    def __init__(self, cases: QuerySet[Case], now: dt.datetime):
        self.cases, self.now = cases, now
        self.ordered = True  # for Paginator: the order is the urgency order

    def count(self) -> int:
        return self.cases.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index: slice):
        if not isinstance(index, slice):
            raise TypeError("InboxRows takes slices only")
        page_ids = _by_urgency(self.cases, self.now).values("pk")[index]
        rows = (
            Case.objects.filter(pk__in=page_ids)
            .select_related("unit", "assigned_unit", "assignee", "complaint")
            # Only what a row shows (``cases.views._inbox_row``): building 50 full cases with
            # four joined rows each cost more than the page's SQL (bench/README.md).
            .only(*INBOX_ROW_FIELDS)
            .annotate(summary=Left("description", SUMMARY_LENGTH))
        )
        return list(_by_urgency(rows, self.now))


def inbox_class_choices(user: User) -> list[tuple[str, str]]:
    """(code, name) of the complaint classes the catalogue's standards define, in any version
    (one query over a table of a few dozen rows — not an aggregation over every case the user
    sees, which costs a scan of their whole history on each inbox page)."""
    from layanan.catalog.models import ComplaintClass

    rows = (
        ComplaintClass.objects.values_list("code", "name")
        .order_by("code", "-version__pk")
        .distinct()
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name)
    return list(seen.items())


def inbox_assignee_choices(user: User) -> QuerySet[User]:
    """Staff of the units ``user`` sees — the people a case of theirs can be assigned to — by
    name (one query; every staff member for those who see every unit)."""
    from layanan.accounts.models import User

    people = User.objects.filter(memberships__isnull=False)
    if not sees_every_unit(user):
        people = people.filter(memberships__unit_id__in=visible_unit_ids(user))
    return (
        people.distinct()
        .only("pk", "username", "full_name", "first_name", "last_name")
        .order_by("full_name", "username")
    )


def inbox_division_choices(user: User) -> QuerySet[Unit]:
    """Divisions (Bagian) a case may be assigned to within the user's reach (one query)."""
    units = Unit.objects.filter(kind=UnitKind.DIVISION)
    if not sees_every_unit(user):
        units = units.filter(pk__in=visible_units(user, "case.view").values("pk"))
    return units.only("pk", "name", "short_name", "path").order_by("path")


def case_for_staff(user: User, ref: str) -> Case:
    """The case with number (or primary key) ``ref`` if ``user`` may see it.

    Raises ``Case.DoesNotExist`` for a case that does not exist *or* is outside the user's reach
    — the caller answers 404 in both cases, so existence is not leaked.
    """
    ref = (ref or "").strip().strip("/")
    qs = cases_visible_to(user).select_related(
        "unit",
        "assigned_unit",
        "assignee",
        "standard",
        "standard__published_version",
        "created_by",
        "complaint",
    )
    if ref.isdigit():
        return qs.get(pk=int(ref))
    return qs.get(number=ref.upper())


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    """Every event of ``case``, oldest first, with its actor (staff pages show internal ones)."""
    return case.events.select_related("actor").order_by("at", "pk")


def case_attachments(case: Case) -> QuerySet[Attachment]:
    """The files of ``case`` with who uploaded them, oldest first (staff see internal ones)."""
    return case.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")


#: The event kind a handler's draft answer is kept as (internal, never shown to the reporter).


def latest_answer_draft(case: Case) -> CaseEvent | None:
    """The newest draft answer written for ``case`` since it was last answered, if any."""
    drafts = case.events.filter(kind=ANSWER_DRAFT_EVENT).select_related("actor")
    if case.answered_at is not None and case.status != Status.ANSWERED:
        # Reopened after an answer: only drafts written since then count.
        drafts = drafts.filter(at__gt=case.answered_at)
    return drafts.order_by("-at", "-pk").first()
