"""Reads of the evaluation records: the unit's people, meetings with their actions (their own and
those carried over), the per-officer figures and the reprimand register.

Every figure of :func:`officer_performance` is an SQL aggregate: a fixed number of queries
whatever the number of officers, cases or responses (pinned in tests/evaluation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from layanan.accounts.models import Role, User
from layanan.accounts.permissions import can, roles_for, visible_units
from layanan.cases.selectors import overdue_q
from layanan.core.db_routing import reading_replica
from layanan.core.models import Unit

from .models import ActionStatus, EvaluationMeeting, FollowUpAction, Reprimand

if TYPE_CHECKING:
    from typing import Any

#: The roles that make someone one of "the unit's people" (attendees, action owners, officers
#: evaluated and reprimanded): everyone who works there — not the auditor, who inspects it.
PEOPLE_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.HANDLER, Role.HEAD, Role.ADMIN)


def unit_people(unit: Unit) -> QuerySet[User]:
    """Active users with a working role in ``unit`` or a unit below it (a Biro's meeting is
    attended by the Kepala Biro, the Kabag and their staff)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit__in=unit.subtree_pks(),
            memberships__role__in=PEOPLE_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")
    )


# --- meetings ------------------------------------------------------------------------------------


def may_read_meeting(user: User, meeting: EvaluationMeeting) -> bool:
    """The unit's members and auditors (``evaluation.meeting_view``) — and the people of its
    sub-units, who attend the meeting of their Biro (a Bagian's handler)."""
    if can(user, "evaluation.meeting_view", meeting):
        return True
    return any(
        role in PEOPLE_ROLES and unit.is_within(meeting.unit) for role, unit in roles_for(user)
    )


def meeting_units(user: User) -> QuerySet[Unit]:
    """Units whose meetings ``user`` reads: those the rule reaches, and the units above their
    own that hold meetings."""
    above = {
        int(pk)
        for role, unit in roles_for(user)
        if role in PEOPLE_ROLES
        for pk in unit.path.strip("/").split("/")
        if pk
    }
    held = Unit.objects.filter(pk__in=above, evaluation_meetings__isnull=False)
    return (
        Unit.objects.filter(
            Q(pk__in=visible_units(user, "evaluation.meeting_view").values("pk"))
            | Q(pk__in=held.values("pk"))
        )
        .distinct()
        .order_by("path")
    )


def meetings_of(unit: Unit) -> QuerySet[EvaluationMeeting]:
    return (
        EvaluationMeeting.objects.filter(unit=unit)
        .annotate(action_count=Count("actions"))
        .order_by("-month", "sequence")
    )


def _actions() -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.select_related("owner").order_by("due_on", "pk")


def meeting_detail(pk: int) -> EvaluationMeeting | None:
    return (
        EvaluationMeeting.objects.select_related("unit", "recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("full_name", "username")),
            Prefetch("actions", queryset=_actions()),
        )
        .filter(pk=pk)
        .first()
    )


def carried_actions(meeting: EvaluationMeeting) -> list[FollowUpAction]:
    """Actions agreed at earlier meetings of the unit that were still open when this meeting's
    month began (open now, or done during or after it): shown on this meeting as carried over,
    read from the meeting that agreed them, never copied. One query."""
    earlier = Q(meeting__month__lt=meeting.month) | Q(
        meeting__month=meeting.month, meeting__sequence__lt=meeting.sequence
    )
    still_open = Q(status=ActionStatus.OPEN) | Q(done_on__gte=meeting.month)
    return list(
        _actions()
        .select_related("meeting")
        .filter(earlier, still_open, meeting__unit_id=meeting.unit_id)
    )


def meetings_for_month(unit: Unit, first_day: dt.date) -> list[EvaluationMeeting]:
    """The unit's meetings of one month with attendees, own and carried actions (the monthly
    evaluation PDF). A fixed number of queries."""
    meetings = list(
        EvaluationMeeting.objects.filter(unit=unit, month=first_day)
        .prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("full_name", "username")),
            Prefetch("actions", queryset=_actions()),
        )
        .order_by("sequence")
    )
    for meeting in meetings:
        meeting.carried = carried_actions(meeting)
    return meetings


# --- performance ---------------------------------------------------------------------------------


@dataclass
class OfficerRow:
    officer: User
    assigned: int = 0  # cases assigned to them and received in the range
    finished: int = 0  # their cases answered or closed in the range (with a deadline)
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0  # their cases still open and past due at the end of the range
    ikm: object | None = None  # surveys.ikm.IkmResult of the responses about their cases

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.finished else 100 * self.on_time / self.finished


def range_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of ``start``, first instant after ``end``) in the office's time zone."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


@reading_replica()
def officer_performance(*, unit: Unit, start: dt.date, end: dt.date) -> list[OfficerRow]:
    """Per officer of ``unit`` (and its sub-units) for the days ``start`` … ``end``: cases
    assigned, finished, finished on time / late (finished = answered, or closed without an
    answer, as the reports count it), still open and overdue at the end of the range (or now),
    and the IKM of the survey responses about the cases they served. Four queries."""
    from layanan.cases.models import Case
    from layanan.surveys.ikm import IkmResult, _aggregates, _totals
    from layanan.surveys.models import SurveyResponse

    begin, stop = range_bounds(start, end)
    cutoff = min(timezone.now(), stop)
    received = Q(received_at__gte=begin, received_at__lt=stop)
    finished = Q(finished_at__gte=begin, finished_at__lt=stop, due_at__isnull=False)
    overdue = overdue_q(cutoff) & Q(received_at__lt=stop)
    case_rows = (
        Case.objects.filter(unit_id__in=unit.subtree_pks(), assignee__isnull=False)
        .alias(finished_at=Coalesce("answered_at", "closed_at"))
        .filter(received | finished | overdue)
        .values("assignee")
        .order_by()
        .annotate(
            assigned=Count("pk", filter=received),
            finished=Count("pk", filter=finished),
            on_time=Count("pk", filter=finished & Q(finished_at__lte=F("due_at"))),
            late=Count("pk", filter=finished & Q(finished_at__gt=F("due_at"))),
            overdue_open=Count("pk", filter=overdue),
        )
    )
    survey_rows = (
        SurveyResponse.objects.filter(
            case__unit_id__in=unit.subtree_pks(),
            case__assignee__isnull=False,
            answered_on__gte=start,
            answered_on__lte=end,
        )
        .values("case__assignee")
        .order_by()
        .annotate(**_aggregates())
    )
    by_case = {r["assignee"]: r for r in case_rows}
    by_survey: dict[int, Any] = {r["case__assignee"]: r for r in survey_rows}
    # The unit's people, and whoever else was assigned its cases (someone who has since left).
    people = {u.pk: u for u in unit_people(unit)}
    others = (set(by_case) | set(by_survey)) - set(people)
    if others:
        people.update({u.pk: u for u in User.objects.filter(pk__in=others)})
    rows = []
    for pk, officer in people.items():
        row = OfficerRow(officer=officer)
        counts = by_case.get(pk)
        if counts:
            for field in ("assigned", "finished", "on_time", "late", "overdue_open"):
                setattr(row, field, counts[field])
        survey = by_survey.get(pk)
        row.ikm = IkmResult(
            unit=unit,
            service=None,
            start=start,
            end=end,
            respondents=survey["n"] if survey else 0,
            totals=_totals(survey) if survey else (0,) * 9,
        )
        rows.append(row)
    rows.sort(key=lambda r: (str(r.officer).lower(), r.officer.pk))
    return rows


# --- reprimands ----------------------------------------------------------------------------------


def may_read_register(user: User, unit: Unit) -> bool:
    """The whole register of ``unit``: its head (or a head above it) and the auditor."""
    return can(user, "evaluation.reprimand_view", unit)


def may_read_reprimand(user: User, reprimand: Reprimand) -> bool:
    """One entry: the register's readers, and the officer concerned."""
    if getattr(user, "pk", None) is not None and reprimand.officer_id == user.pk:
        return True
    return can(user, "evaluation.reprimand_view", reprimand)


def reprimand_register(unit: Unit) -> QuerySet[Reprimand]:
    """Every entry of ``unit`` and its sub-units — for callers that checked
    :func:`may_read_register`."""
    return Reprimand.objects.filter(unit_id__in=unit.subtree_pks()).select_related(
        "officer", "given_by", "unit"
    )


def reprimands_of(user: User) -> QuerySet[Reprimand]:
    """The entries about ``user`` themselves, in every unit."""
    return Reprimand.objects.filter(officer=user).select_related("officer", "given_by", "unit")
