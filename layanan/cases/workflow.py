"""The status machine, in one place.

``received → verified → in_progress → answered → closed``, plus ``waiting_on_requester`` (the
clock stops), ``rejected``, ``withdrawn`` and reopening a closed case within a window. Every
transition checks the actor's right on the case's unit, writes a ``CaseEvent`` in the same
transaction and keeps the time fields (first response, answered, closed, pauses) true.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import PUBLIC
from layanan.accounts.permissions import ensure_can
from layanan.core.errors import ApplicationError, Conflict

from .deadlines import case_recompute_due
from .events import case_event_record
from .models import Case, CaseEvent, CasePause, Status

# to-status → the statuses it may be reached from
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.VERIFIED: (Status.RECEIVED,),
    Status.IN_PROGRESS: (Status.RECEIVED, Status.VERIFIED, Status.WAITING, Status.ANSWERED),
    Status.WAITING: (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS),
    Status.ANSWERED: (Status.VERIFIED, Status.IN_PROGRESS),
    Status.CLOSED: (Status.ANSWERED,),
    Status.REJECTED: (Status.RECEIVED, Status.VERIFIED),
    Status.WITHDRAWN: (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING),
}

# to-status → the permission action it needs (accounts/permissions.py)
TRANSITION_ACTIONS: dict[str, str] = {
    Status.VERIFIED: "case.verify",
    Status.REJECTED: "case.verify",
    Status.IN_PROGRESS: "case.work",
    Status.WAITING: "case.work",
    Status.ANSWERED: "case.answer",
    Status.CLOSED: "case.close",
    Status.WITHDRAWN: "case.work",
}

REOPEN_WINDOW = dt.timedelta(days=14)


def allowed_transitions(case: Case) -> list[str]:
    """The statuses ``case`` may move to from where it is (``TRANSITIONS``), whoever asks:
    ``case_transition`` still checks the actor's permission for each."""
    return [to for to, sources in TRANSITIONS.items() if case.status in sources]


def due_steps(case: Case, *, draft_waiting: bool) -> tuple[str, ...]:
    """The step a case waits for, as the staff case page's actions name them (``verify``,
    ``classify``, ``assign``, ``start``, ``draft``, ``answer``, ``resume``, ``close``,
    ``reopen``), most pressing first. The page opens the first of these the person may take.

    One place, a function of the case's state: a draft answer that waits is sent before
    anything else (the officer's next step is "Send the answer", not "Reclassify"); an
    unclassified complaint is classified before it is assigned; an unassigned case is assigned
    before work starts.
    """
    status = case.status
    if status == Status.RECEIVED:
        return ("verify", "classify", "start")
    if status in (Status.VERIFIED, Status.IN_PROGRESS) and draft_waiting:
        return ("answer", "draft")
    if status == Status.VERIFIED:
        detail = getattr(case, "complaint", None) if case.kind == "complaint" else None
        steps: tuple[str, ...] = ()
        if detail is not None and not detail.class_code:
            steps += ("classify",)
        if case.assignee_id is None and case.assigned_unit_id in (None, case.unit_id):
            steps += ("assign",)
        return (*steps, "start", "draft", "answer")
    if status == Status.IN_PROGRESS:
        return ("draft", "answer")
    if status == Status.WAITING:
        return ("resume",)
    if status == Status.ANSWERED:
        return ("close",)
    if status == Status.CLOSED:
        return ("reopen",)
    return ()


def _start_pause(case: Case, now: dt.datetime) -> None:
    CasePause.objects.create(case=case, started_at=now)
    case.paused_since = now


def _end_pause(case: Case, now: dt.datetime) -> None:
    CasePause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    case.paused_since = None


@transaction.atomic
def case_transition(
    *,
    actor,
    case: Case,
    to: str,
    note: str = "",
    public_note: str = "",
    internal_note: bool = False,
    permission: str | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """Move ``case`` to status ``to``. Raises Conflict for a transition the machine forbids.

    ``note`` is internal (staff read it on the case page, the requester never does);
    ``public_note`` is the message the requester reads with this step on the tracking page —
    the request for information when waiting on them, the reason for a rejection.
    ``internal_note`` makes the whole event internal (kept off the public timeline).

    ``permission`` replaces the action ``TRANSITION_ACTIONS`` names, for a kind whose step has
    its own rule (the front desk finishing a visit: ``visit.finish``); ``at`` is the moment of
    the change when the caller already fixed it (default: now).

    A rejection needs its reason as ``public_note`` (the requester is owed it): without one,
    ``ApplicationError("reason_required")`` — the one place this rule lives; pages and API only
    show the error."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reopening = case.status == Status.CLOSED and to == Status.IN_PROGRESS
    if reopening:
        ensure_can(actor, "case.close", case)
    else:
        if to not in TRANSITIONS:
            raise Conflict(_("Unknown status."), "invalid_transition")
        ensure_can(actor, permission or TRANSITION_ACTIONS[to], case)
        if case.status not in TRANSITIONS[to]:
            raise Conflict(
                _("A case that is “%(old)s” cannot become “%(new)s”.")
                % {"old": Status(case.status).label, "new": Status(to).label},
                "invalid_transition",
            )
    if to == Status.REJECTED and not public_note.strip():
        raise ApplicationError(_("Please give the reason for rejecting."), "reason_required")
    now = at or timezone.now()
    old = case.status
    if reopening:
        if case.closed_at and now - case.closed_at > REOPEN_WINDOW:
            raise Conflict(
                _("This case was closed more than %(days)s days ago and cannot be reopened.")
                % {"days": REOPEN_WINDOW.days},
                "reopen_window_passed",
            )
        case.reopen_count += 1
        case.closed_at = None
    if old == Status.WAITING:
        _end_pause(case, now)
    if to == Status.WAITING:
        _start_pause(case, now)
    if case.first_response_at is None and old == Status.RECEIVED:
        case.first_response_at = now
    if to == Status.ANSWERED:
        case.answered_at = now
    if to in (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN):
        case.closed_at = now
    case.status = to
    case_recompute_due(case=case, save=False)
    case.save()
    case_event_record(
        case=case,
        actor=actor,
        kind="reopened" if reopening else "status",
        old=old,
        new=to,
        note=note.strip(),
        public_note=public_note.strip(),
        internal=internal_note,
        at=now,
    )
    return case


@transaction.atomic
def case_answer_draft(*, actor, case: Case, answer: str) -> CaseEvent:
    """Keep a draft of the answer (an internal event; the complaint officer or head sends it).

    Drafting is working on the case, so it starts the work: a case not yet in progress
    (``verified``) is first moved to ``in_progress`` by the same person, as its own status
    event, public like any "handling started" (the requester reads that the office is working
    on it — never the draft), with an internal note saying the draft started it. Nothing is
    skipped silently and nobody has to remember "Start work" first
    (docs/architecture.md, *Drafting starts the work*).
    """
    from .events import ANSWER_DRAFT_EVENT

    case = Case.objects.select_for_update().get(pk=case.pk)
    ensure_can(actor, "case.answer", case)
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(_("The answer cannot be empty."), "answer_required")
    if case.status not in (Status.VERIFIED, Status.IN_PROGRESS):
        raise Conflict(
            _("An answer cannot be drafted while the case is “%(status)s”.")
            % {"status": Status(case.status).label},
            "invalid_transition",
        )
    if case.status == Status.VERIFIED:
        case = case_transition(
            actor=actor,
            case=case,
            to=Status.IN_PROGRESS,
            note=_("Work started by drafting the answer."),
        )
    return case_event_record(
        case=case, actor=actor, kind=ANSWER_DRAFT_EVENT, note=answer, internal=True
    )


@transaction.atomic
def case_reopen_by_requester(*, case: Case, reason: str) -> Case:
    """The reporter reopens their closed case (from the tracking page, holding its code).

    Allowed only for a closed case within ``REOPEN_WINDOW`` of closing and with a reason; the
    event has no actor (the requester is not a user) and is public, so it shows on the timeline.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Please say why the case should be reopened."), "required")
    if case.status != Status.CLOSED:
        raise Conflict(_("Only a closed case can be reopened."), "invalid_transition")
    now = timezone.now()
    if case.closed_at and now - case.closed_at > REOPEN_WINDOW:
        raise Conflict(
            _("This case was closed more than %(days)s days ago and cannot be reopened.")
            % {"days": REOPEN_WINDOW.days},
            "reopen_window_passed",
        )
    case.reopen_count += 1
    case.closed_at = None
    case.status = Status.IN_PROGRESS
    case.save()
    # The requester's own words, shown back to them on their tracking page.
    case_event_record(
        case=case,
        actor=PUBLIC,
        kind="reopened",
        old=Status.CLOSED,
        new=Status.IN_PROGRESS,
        public_note=reason,
        at=now,
    )
    return case
