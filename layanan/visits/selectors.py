"""Reads of the front desk: the day's queue, the display board, a visible visit."""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from layanan.accounts.permissions import can
from layanan.cases.models import OPEN_STATUSES, Case, Status
from layanan.core.models import Unit

from .models import VisitDetail

if TYPE_CHECKING:
    from layanan.accounts.models import User

VISIT_JOINS = ("case", "case__unit", "case__assigned_unit", "service", "routed_to", "visitor")


def today() -> dt.date:
    return timezone.localdate()


def desk_queue(unit: Unit, *, day: dt.date | None = None) -> QuerySet[VisitDetail]:
    """The visits of ``unit`` (or routed to it) on ``day``, plus older ones still open — one
    query, everything the desk shows joined."""
    day = day or today()
    mine = Q(case__unit=unit) | Q(case__assigned_unit=unit)
    when = Q(queue_day=day) | Q(case__status__in=OPEN_STATUSES)
    return (
        VisitDetail.objects.filter(mine & when)
        .select_related(*VISIT_JOINS)
        .order_by("queue_day", "arrived_at", "pk")
    )


def display_board(unit: Unit, *, day: dt.date | None = None) -> dict:
    """What the TV shows: tickets called and not yet served (newest call first), tickets being
    served, and how many wait per service. Ticket numbers and desks only — never a name."""
    day = day or today()
    rows = list(
        VisitDetail.objects.filter(case__unit=unit, queue_day=day, finished_at__isnull=True)
        .select_related("service")
        .only("ticket", "desk", "called_at", "served_at", "service__name", "arrived_at")
        .order_by("arrived_at", "pk")
    )
    calling = sorted(
        (v for v in rows if v.called_at and not v.served_at),
        key=attrgetter("called_at"),
        reverse=True,
    )
    serving = [v for v in rows if v.served_at]
    waiting: dict[str, int] = {}
    for v in rows:
        if not v.called_at:
            label = v.service.name if v.service is not None else ""
            waiting[label] = waiting.get(label, 0) + 1
    return {"calling": calling, "serving": serving, "waiting": waiting}


def visit_for_staff(user: User, pk: int) -> VisitDetail | None:
    """The visit if ``user`` may see its case (its unit's staff, the Bagian it was routed to,
    auditors); None otherwise — the caller answers 404."""
    visit = VisitDetail.objects.select_related(*VISIT_JOINS).filter(pk=pk).first()
    if visit is None or not can(user, "case.view", visit.case):
        return None
    return visit


def visible_visit_cases(user: User) -> QuerySet[Case]:
    from layanan.accounts.permissions import visible_units

    units = visible_units(user, "case.view")
    return Case.objects.filter(visit__isnull=False).filter(
        Q(unit__in=units) | Q(assigned_unit__in=units)
    )


# --- the guest book (buku tamu) ------------------------------------------------------------------

#: The register's status filter: what the desk calls a visit's state → the case statuses.
REGISTER_STATES = {
    "waiting": (Status.RECEIVED, Status.VERIFIED),
    "serving": (Status.IN_PROGRESS, Status.WAITING),
    "finished": (Status.ANSWERED, Status.CLOSED),
    "not_present": (Status.WITHDRAWN, Status.REJECTED),
}


def register_visits(
    unit: Unit,
    *,
    start: dt.date,
    end: dt.date,
    service: int | str | None = None,
    division: Unit | None = None,
    state: str | None = None,
) -> QuerySet[VisitDetail]:
    """Every visit of ``unit`` and the units below it (registered there or routed there) whose
    queue day falls in ``start`` … ``end``, in the order of arrival — the rows of the paper
    guest book. ``service`` is a standard's id or ``"none"`` for visits without a service;
    ``division`` a Bagian the visit was routed to; ``state`` a key of ``REGISTER_STATES``.

    One query for the rows (everything a row shows joined), one for who served them (a
    prefetch of the first "in progress" event with its actor). The day range uses the
    ``visit_day_arrived`` index; the unit test is on the case's indexed unit columns."""
    from django.db.models import Prefetch

    from layanan.cases.models import CaseEvent

    ids = Unit.objects.subtree_of([unit]).values("pk")  # a subquery, not a round trip
    rows = VisitDetail.objects.filter(
        Q(case__unit_id__in=ids) | Q(case__assigned_unit_id__in=ids),
        queue_day__gte=start,
        queue_day__lte=end,
    )
    if service == "none":
        rows = rows.filter(service__isnull=True)
    elif service:
        rows = rows.filter(service_id=int(service))
    if division is not None:
        rows = rows.filter(routed_to=division)
    if state in REGISTER_STATES:
        rows = rows.filter(case__status__in=REGISTER_STATES[state])
    served = (
        CaseEvent.objects.filter(kind="status", new_value=Status.IN_PROGRESS)
        .select_related("actor")
        .only(
            "case_id",
            "at",
            "actor__username",
            "actor__full_name",
            "actor__first_name",
            "actor__last_name",
        )
        .order_by("at", "pk")
    )
    return (
        rows.select_related(*VISIT_JOINS)
        .prefetch_related(Prefetch("case__events", queryset=served, to_attr="served_events"))
        .order_by("queue_day", "arrived_at", "pk")
    )
