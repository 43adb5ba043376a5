"""Writes of the evaluation records. Each checks the permission, validates, writes atomically and
leaves an audit entry (``core.audit.audit_log``) in the same transaction.

Cadence: a unit's evaluation meetings per month are the most frequent ``meetings_per_month``
among its published standards (the importer reads it from "rapat … minimal 1 (satu) kali dalam
1 (satu) bulan"); a unit with published standards that state no cadence meets monthly (the
seeds' rule). A unit without a published standard has no evaluation cadence and gets no
placeholder (its head may still record a meeting).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM, require_actor, user_or_none
from layanan.accounts.permissions import ensure_can
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError
from layanan.core.models import AuditAction, Unit
from layanan.reports.metrics import Month
from layanan.workdays.deadlines import Calendar

from .models import (
    ActionStatus,
    EvaluationMeeting,
    FollowUpAction,
    MeetingStatus,
    Reprimand,
    ReprimandKind,
)
from .selectors import unit_people

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User

DEFAULT_MEETINGS_PER_MONTH = 1


class EvaluationError(ApplicationError):
    default_code = "evaluation_invalid"


def _audit_actor(actor: AnyActor) -> AnyActor | str:
    require_actor(actor)
    return "schedule_evaluation_meetings" if actor is SYSTEM else actor


# --- cadence and placeholders --------------------------------------------------------------------


def meetings_per_month(unit: Unit) -> int | None:
    """The unit's cadence from its published standards; None when it publishes none."""
    from layanan.catalog.models import ServiceStandard

    published = ServiceStandard.objects.published().filter(unit=unit)
    result = published.aggregate(
        n=Max("published_version__meetings_per_month"), standards=Max("pk")
    )
    if result["standards"] is None:
        return None
    return result["n"] or DEFAULT_MEETINGS_PER_MONTH


def planned_days(unit: Unit, month: Month, count: int) -> list[dt.date]:
    """``count`` working days spread over ``month``: the k-th meeting on the working day at
    ⌈k·W/count⌉ of the W working days (one meeting: the last working day of the month)."""
    calendar = Calendar.for_unit(unit)
    day, days = month.first_day, []
    while day <= month.last_day:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    if not days:  # a month without a working day: the last day, to be moved by the head
        return [month.last_day] * count
    count = min(count, len(days))
    return [days[math.ceil(k * len(days) / count) - 1] for k in range(1, count + 1)]


@dataclass
class ScheduleReport:
    month: Month
    created: list[EvaluationMeeting] = field(default_factory=list)
    existing: int = 0
    units: int = 0


def meetings_schedule(
    *, actor: AnyActor, month: Month, units: Iterable[Unit] | None = None
) -> ScheduleReport:
    """Create the planned meetings of ``month`` for every unit with published standards (or the
    given ``units``), as many as its cadence asks. Idempotent: an existing (unit, month,
    sequence) is left alone, so running it daily — or twice at once — creates each meeting
    once (the unique constraint decides a race)."""
    from layanan.catalog.models import ServiceStandard

    if units is None:
        units = Unit.objects.filter(
            pk__in=ServiceStandard.objects.published().values("unit")
        ).order_by("path")
    report = ScheduleReport(month=month)
    for unit in units:
        ensure_can(actor, "evaluation.meeting_edit", unit)
        count = meetings_per_month(unit)
        if count is None:
            continue
        report.units += 1
        for sequence, day in enumerate(planned_days(unit, month, count), start=1):
            with transaction.atomic():
                meeting, created = EvaluationMeeting.objects.get_or_create(
                    unit=unit,
                    month=month.first_day,
                    sequence=sequence,
                    defaults={"planned_on": day},
                )
                if created:
                    audit_log(
                        actor=_audit_actor(actor),
                        action=AuditAction.MEETING_SCHEDULED,
                        target=meeting,
                        data={"month": str(month), "sequence": sequence, "planned_on": day},
                    )
                    report.created.append(meeting)
                else:
                    report.existing += 1
    return report


@transaction.atomic
def meeting_create(
    *, actor: AnyActor, unit: Unit, month: Month, planned_on: dt.date
) -> EvaluationMeeting:
    """One more meeting of ``month`` (beyond the cadence, or before the schedule ran)."""
    ensure_can(actor, "evaluation.meeting_edit", unit)
    if Month.of(planned_on) != month:
        raise EvaluationError(_("The planned day must fall within the month of the meeting."))
    # Lock the unit's row so two heads adding a meeting at once take different numbers.
    Unit.objects.select_for_update().get(pk=unit.pk)
    last = EvaluationMeeting.objects.filter(unit=unit, month=month.first_day).aggregate(
        n=Max("sequence")
    )["n"]
    meeting = EvaluationMeeting.objects.create(
        unit=unit,
        month=month.first_day,
        sequence=(last or 0) + 1,
        planned_on=planned_on,
        recorded_by=user_or_none(actor),
    )
    audit_log(
        actor=_audit_actor(actor),
        action=AuditAction.MEETING_SCHEDULED,
        target=meeting,
        data={"month": str(month), "sequence": meeting.sequence, "planned_on": planned_on},
    )
    return meeting


def _people_ids(unit: Unit) -> set[int]:
    return set(unit_people(unit).values_list("pk", flat=True))


@transaction.atomic
def meeting_record(
    *,
    actor: AnyActor,
    meeting: EvaluationMeeting,
    status: str,
    planned_on: dt.date,
    held_on: dt.date | None,
    attendees: Iterable[User],
    minutes: str,
    decisions: str,
) -> EvaluationMeeting:
    """Save the record of a meeting. Held: the day (within its month, not in the future) and at
    least one attendee, all people of the unit. Cancelled: the minutes say why."""
    ensure_can(actor, "evaluation.meeting_edit", meeting)
    meeting = EvaluationMeeting.objects.select_for_update().get(pk=meeting.pk)
    month = Month.of(meeting.month)
    attendees = list(attendees)
    if Month.of(planned_on) != month:
        raise EvaluationError(_("The planned day must fall within the month of the meeting."))
    if status not in MeetingStatus.values:
        raise EvaluationError(_("Choose a status."))
    if status == MeetingStatus.HELD:
        if held_on is None:
            raise EvaluationError(_("A meeting that was held needs the day it was held."))
        if Month.of(held_on) != month:
            raise EvaluationError(_("The meeting of a month is held within that month."))
        if held_on > timezone.localdate():
            raise EvaluationError(_("A meeting cannot have been held in the future."))
        if not attendees:
            raise EvaluationError(_("Choose who attended."))
    else:
        held_on = None
    if status == MeetingStatus.CANCELLED and not minutes.strip():
        raise EvaluationError(_("Write in the minutes why the meeting was cancelled."))
    strangers = {u.pk for u in attendees} - _people_ids(meeting.unit)
    if strangers:
        raise EvaluationError(_("Attendees must be people of the unit."))
    meeting.status = status
    meeting.planned_on = planned_on
    meeting.held_on = held_on
    meeting.minutes = minutes.strip()
    meeting.decisions = decisions.strip()
    meeting.recorded_by = user_or_none(actor)
    meeting.save()
    meeting.attendees.set(attendees)
    audit_log(
        actor=_audit_actor(actor),
        action=AuditAction.MEETING_RECORDED,
        target=meeting,
        data={
            "status": status,
            "held_on": held_on,
            "attendees": sorted(u.pk for u in attendees),
            "decisions": len(meeting.decision_list),
        },
    )
    return meeting


@transaction.atomic
def action_add(
    *, actor: AnyActor, meeting: EvaluationMeeting, description: str, owner: User, due_on: dt.date
) -> FollowUpAction:
    """A follow-up action agreed at ``meeting``: its owner is a person of the unit."""
    ensure_can(actor, "evaluation.meeting_edit", meeting)
    if not description.strip():
        raise EvaluationError(_("Describe the action."))
    if owner is None or owner.pk not in _people_ids(meeting.unit):
        raise EvaluationError(_("The owner must be a person of the unit."))
    if due_on < meeting.month:
        raise EvaluationError(_("The due date cannot be before the meeting's month."))
    action = FollowUpAction.objects.create(
        meeting=meeting, description=description.strip(), owner=owner, due_on=due_on
    )
    audit_log(
        actor=_audit_actor(actor),
        action=AuditAction.FOLLOW_UP_ADDED,
        target=action,
        unit=meeting.unit,
        data={"meeting": meeting.pk, "owner": owner.pk, "due_on": due_on},
    )
    return action


@transaction.atomic
def action_set_status(
    *,
    actor: AnyActor,
    action: FollowUpAction,
    status: str,
    note: str = "",
    done_on: dt.date | None = None,
) -> FollowUpAction:
    """Mark an action done (with the day and what came of it) or open again."""
    action = (
        FollowUpAction.objects.select_for_update().select_related("meeting__unit").get(pk=action.pk)
    )
    ensure_can(actor, "evaluation.meeting_edit", action.meeting)
    if status not in ActionStatus.values:
        raise EvaluationError(_("Choose a status."))
    old = action.status
    if status == ActionStatus.DONE:
        done_on = done_on or timezone.localdate()
        if done_on > timezone.localdate():
            raise EvaluationError(_("An action cannot have been done in the future."))
        if done_on < action.meeting.month:
            raise EvaluationError(_("An action cannot be done before the meeting that agreed it."))
    else:
        done_on = None
    action.status = status
    action.done_on = done_on
    action.note = note.strip()
    action.save()
    audit_log(
        actor=_audit_actor(actor),
        action=AuditAction.FOLLOW_UP_CHANGED,
        target=action,
        unit=action.meeting.unit,
        data={"old": old, "new": status, "done_on": done_on},
    )
    return action


# --- reprimands ----------------------------------------------------------------------------------

_CASE_NUMBER_SPLIT = re.compile(r"[\s,;]+")


def parse_case_numbers(text: str) -> list[str]:
    """The case numbers written in ``text`` (separated by commas, semicolons or white space),
    each once, in the order written."""
    seen: list[str] = []
    for number in _CASE_NUMBER_SPLIT.split(text.strip()):
        if number and number not in seen:
            seen.append(number)
    return seen


@transaction.atomic
def reprimand_give(
    *,
    actor: AnyActor,
    unit: Unit,
    officer: User,
    kind: str,
    given_on: dt.date,
    breach: str,
    case_numbers: Sequence[str] = (),
) -> Reprimand:
    """Record a reprimand of an officer of ``unit`` for a breach of its service standard.
    The head of the unit gives it — never to themselves; the cases named must be the unit's."""
    from layanan.cases.models import Case

    ensure_can(actor, "evaluation.reprimand_give", unit)
    given_by = user_or_none(actor)
    if given_by is None:
        raise EvaluationError(_("A reprimand is given by a person: the head of the unit."))
    if kind not in ReprimandKind.values:
        raise EvaluationError(_("Choose the kind of reprimand."))
    if officer is None or officer.pk not in _people_ids(unit):
        raise EvaluationError(_("The officer must be a person of the unit."))
    if officer.pk == getattr(actor, "pk", None):
        raise EvaluationError(_("A head does not record a reprimand of themselves."))
    if given_on > timezone.localdate():
        raise EvaluationError(_("A reprimand cannot be dated in the future."))
    if not breach.strip():
        raise EvaluationError(_("Describe the breach of the service standard."))
    numbers = list(dict.fromkeys(n.strip() for n in case_numbers if n.strip()))
    if numbers:
        found = set(
            Case.objects.filter(unit_id__in=unit.subtree_pks(), number__in=numbers).values_list(
                "number", flat=True
            )
        )
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise EvaluationError(
                _("Not a case of this unit: %(numbers)s") % {"numbers": ", ".join(unknown)}
            )
    reprimand = Reprimand.objects.create(
        unit=unit,
        officer=officer,
        kind=kind,
        given_on=given_on,
        breach=breach.strip(),
        case_numbers=numbers,
        given_by=given_by,
    )
    audit_log(
        actor=actor,
        action=AuditAction.REPRIMAND_GIVEN,
        target=reprimand,
        data={"officer": officer.pk, "kind": kind, "given_on": given_on, "cases": numbers},
    )
    return reprimand
