"""Complaints: receipt through any channel, classification, assignment, answer.

Deadlines come from the complaint classes in the unit's own standard (never hard-coded). Until
a complaint is classified it is held to a *provisional* deadline: the shortest class the
standard names (for the seeds, "ringan" = 3 hours), so a complaint can never become late merely
because it waited to be classified. Classifying or reclassifying recomputes from the original
receipt.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import can, ensure_can, members_who_can
from layanan.cases.deadlines import case_recompute_due
from layanan.cases.events import case_event_record
from layanan.cases.models import Case, CaseKind, Channel, Status
from layanan.cases.services import case_assign, case_create, ensure_own_division
from layanan.cases.workflow import case_transition
from layanan.catalog.models import ComplaintClass, ServiceStandard
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.core.timezones import unit_tzinfo
from layanan.workdays.durations import Duration

from .models import ComplaintDetail

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User

STAFF_CHANNELS = {c for c in Channel.values if c != Channel.WEB}
# Without classes in the standard, a complaint is held to 5 working days (the "normatif" class
# of the regulation's examples) until classified.
FALLBACK_DURATION = Duration(value=5, unit="working_days", text="5 hari kerja")

_DURATION_ORDER = {"minutes": 1, "hours": 60, "working_days": 60 * 8, "calendar_days": 60 * 8}

#: How far in the future a time of receipt given by staff may be: two machines' clocks differ a
#: little (a phone, the server).
RECEIPT_CLOCK_SKEW = dt.timedelta(minutes=5)


def earliest_receipt(unit: Unit) -> dt.datetime:
    """The earliest time of receipt staff may record for ``unit``: 1 January (office time) of
    the year before the unit's row was created.

    A unit is nearly always older than its row (the organisation is loaded when Layanan is
    installed), so its ``created_at`` alone would refuse the backlog an office enters when it
    starts — open complaints of this year and the last. Anything earlier is not a complaint
    still being handled, and a typo (``1900``) would give a due time computed over years the
    holiday calendar does not hold."""
    created = timezone.localtime(unit.created_at) if unit.created_at else timezone.localtime()
    return dt.datetime(created.year - 1, 1, 1, tzinfo=timezone.get_current_timezone())


def _check_received_at(unit: Unit, received_at: dt.datetime, now: dt.datetime) -> None:
    """The one place the time of receipt is bounded (pages, API, Open311 all file here)."""
    if received_at > now + RECEIPT_CLOCK_SKEW:
        raise ApplicationError(_("The time of receipt cannot be in the future."), "future_receipt")
    earliest = earliest_receipt(unit)
    if received_at < earliest:
        raise ApplicationError(
            _(
                "The time of receipt cannot be before %(earliest)s: %(unit)s records complaints "
                "received from then on."
            )
            % {"earliest": formats.date_format(earliest.date(), "j F Y"), "unit": unit.name},
            "receipt_too_old",
        )


def complaint_classes_for(
    *, unit: Unit, standard: ServiceStandard | None = None
) -> list[ComplaintClass]:
    """The classes that apply: the standard's, else those of the first published standard of
    the unit (or of its nearest ancestor) that names any — a bureau's standards share one
    complaint section."""
    version = standard.published_version if standard is not None else None
    if version is not None:
        classes = list(version.complaint_classes.all())
        if classes:
            return classes
    for candidate in reversed(unit.ancestors(include_self=True)):
        standards = ServiceStandard.objects.published().filter(unit=candidate)
        for std in standards.select_related("published_version").order_by("position", "pk"):
            classes = list(std.published_version.complaint_classes.all())
            if classes:
                return classes
    return []


def provisional_duration(classes: list[ComplaintClass]) -> Duration:
    """The completion time of a complaint not classified yet: the shortest fixed time among the
    unit's complaint ``classes`` (so the provisional due time is never later than the real
    one), marked provisional; ``FALLBACK_DURATION`` when no class has a fixed time."""
    fixed = [
        (c.value * _DURATION_ORDER.get(c.unit, 1), i, c)
        for i, c in enumerate(classes)
        if c.value is not None and c.unit
    ]
    if not fixed:
        return FALLBACK_DURATION
    shortest = min(fixed)[2]
    return Duration(
        value=shortest.value,
        unit=shortest.unit,
        text=_("provisional, until classified: %(text)s") % {"text": shortest.text or ""},
    )


@transaction.atomic
def complaint_create(
    *,
    actor: AnyActor,
    unit: Unit,
    description: str,
    subject: str = "",
    standard: ServiceStandard | None = None,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    requester_name: str = "",
    requester_email: str = "",
    requester_phone: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    location: str = "",
    lapor_number: str = "",
    class_code: str = "",
) -> Case:
    """Record a complaint. The public may file through the web only; staff may record any
    channel, the real time of receipt and a class."""
    staff_only = channel != Channel.WEB or received_at is not None or class_code
    if staff_only and not can(actor, "case.create", unit):
        ensure_can(actor, "case.create", unit)
    if not description or not description.strip():
        raise ApplicationError(_("Please describe your complaint."), "description_required")
    now = timezone.now()
    if received_at is not None:
        _check_received_at(unit, received_at, now)
    if channel == Channel.LAPOR and not lapor_number:
        raise ApplicationError(
            _("A complaint from SP4N-LAPOR! needs its LAPOR! tracking number."),
            "lapor_number_required",
        )
    if anonymous:
        # Anonymous means no identity is stored at all, not merely hidden.
        requester_name = requester_email = requester_phone = ""
    classes = complaint_classes_for(unit=unit, standard=standard)
    chosen = None
    if class_code:
        chosen = _class_by_code(classes, class_code)
    duration = chosen.as_duration() if chosen else provisional_duration(classes)
    case = case_create(
        actor=actor,
        kind=CaseKind.COMPLAINT,
        unit=unit,
        standard=standard,
        channel=channel,
        received_at=received_at,
        duration=duration,
        subject=subject.strip()[:200],
        description=description.strip(),
        requester_name=requester_name.strip(),
        requester_email=requester_email.strip(),
        requester_phone=requester_phone.strip(),
        is_anonymous=anonymous,
        is_confidential=confidential,
    )
    ComplaintDetail.objects.create(
        case=case,
        class_code=chosen.code if chosen else "",
        class_name=chosen.name if chosen else "",
        classified_at=now if chosen else None,
        location=location.strip()[:300],
        lapor_number=lapor_number.strip()[:40],
    )
    if chosen:
        case_event_record(case=case, actor=actor, kind="classified", new=chosen.name)
    return case


def _class_by_code(classes: list[ComplaintClass], code: str) -> ComplaintClass:
    for c in classes:
        if c.code == code:
            return c
    raise ApplicationError(_("This unit's standard has no such complaint class."), "unknown_class")


@transaction.atomic
def complaint_classify(*, actor: AnyActor, case: Case, class_code: str) -> Case:
    """Classify an open complaint as the class ``class_code`` of its unit's standard (again:
    reclassify), and hold it to that class's completion time: ``due_at`` is recomputed from
    the original receipt, pauses not counted. One transaction on the locked row, with a public
    ``classified``/``reclassified`` event (the reporter is told: ``notifications.py``).
    Refuses (``ApplicationError``) a complaint that is no longer open (``not_open``) and a code
    the standard does not have (``unknown_class``); needs ``case.verify``."""
    ensure_can(actor, "case.verify", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING):
        raise ApplicationError(_("Only an open complaint can be classified."), "not_open")
    detail = case.complaint
    chosen = _class_by_code(
        complaint_classes_for(unit=case.unit, standard=case.standard), class_code
    )
    old = detail.class_name
    detail.class_code, detail.class_name = chosen.code, chosen.name
    detail.classified_at = timezone.now()
    detail.save(update_fields=["class_code", "class_name", "classified_at"])
    case_recompute_due(case=case, save=True, duration=chosen.as_duration())
    case_event_record(
        case=case,
        actor=actor,
        kind="reclassified" if old else "classified",
        old=old,
        new=chosen.name,
    )
    return case


def invalid_assignee(person: User | str, division: Unit) -> ApplicationError:
    """The error of an assignee who may not work on ``division``'s cases (also used by the API
    for a username that names nobody, so both answers read the same)."""
    return ApplicationError(
        _("%(person)s cannot work on cases of %(division)s.")
        % {"person": person, "division": division.name},
        "invalid_assignee",
    )


#: Who may be given a complaint: someone who may work on it and write its answer there (the
#: handler drafts it) — not the front desk, which may work on visits but not answer complaints.
ASSIGNEE_ACTION = "case.answer"


def assignees_for(case: Case, division: Unit) -> QuerySet[User]:
    """The people ``case`` may be given once it is assigned to ``division``: active accounts of
    the case's unit (or below) whose role lets them work on and answer it there
    (``ASSIGNEE_ACTION`` on the case as it will be). The one selector behind the "Person"
    choices of a disposition and the rule ``complaint_assign`` checks."""
    after = SimpleNamespace(unit=case.unit, assigned_unit=division)
    return members_who_can(ASSIGNEE_ACTION, after, within=case.unit).order_by(
        "full_name", "username"
    )


def assignee_is_eligible(assignee: User, *, case: Case, division: Unit) -> bool:
    """Whether ``assignee`` may be given ``case`` once it is assigned to ``division``
    (:func:`assignees_for`)."""
    if assignee is None or not assignee.is_active:
        return False
    return assignees_for(case, division).filter(pk=assignee.pk).exists()


@transaction.atomic
def complaint_assign(
    *, actor: AnyActor, case: Case, division: Unit, assignee: User | None = None, note: str = ""
) -> Case:
    """Give the case to ``division`` (within its unit) and optionally to one person who may work
    on it there. The one place these rules live: pages and API show the ``ApplicationError``
    (``foreign_division``, ``invalid_assignee``)."""
    ensure_can(actor, "case.assign", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    refusal = _("A complaint can only be assigned within its own unit.")
    ensure_own_division(case, division, refusal=refusal)
    if assignee is not None and not assignee_is_eligible(assignee, case=case, division=division):
        raise invalid_assignee(assignee, division)
    return case_assign(
        actor=actor, case=case, division=division, assignee=assignee, note=note, refusal=refusal
    )


@transaction.atomic
def complaint_answer(
    *, actor: AnyActor, case: Case, answer: str, issue_letter: bool = False
) -> Case:
    """Store the answer and move the complaint to 'answered' (one transaction). With
    ``issue_letter`` (a complaint that came by letter or through the complaint box), a numbered
    answer letter is issued with it (``answer_letters.py``): the number is taken in this
    transaction, so a refused answer leaves no letter and no gap."""
    from .answer_letters import LETTER_FIELDS, letter_offered
    from .answer_letters import issue_letter as issue

    if not answer or not answer.strip():
        raise ApplicationError(_("The answer cannot be empty."), "answer_required")
    # The handler drafts; sending to the reporter is the complaint officer's or head's call.
    ensure_can(actor, "case.send_answer", case)
    if issue_letter and not letter_offered(case):
        raise ApplicationError(
            _("Only a complaint received by letter or through the complaint box gets a letter."),
            "letter_not_written",
        )
    # The answer is stored before the transition's event, whose receiver may send it (to a
    # complaint that came by e-mail, in its thread); the case row is locked first, as the
    # transition does, and a refused transition rolls the answer back with it.
    Case.objects.select_for_update().get(pk=case.pk)
    detail = ComplaintDetail.objects.select_for_update().get(pk=case.pk)
    detail.answer = answer.strip()
    detail.answered_by = user_or_none(actor)
    fields = ["answer", "answered_by"]
    if issue_letter:
        issue(detail=detail, on=timezone.localdate(timezone=unit_tzinfo(case.unit)))
        fields += LETTER_FIELDS
    detail.save(update_fields=fields)
    case = case_transition(actor=actor, case=case, to=Status.ANSWERED)
    if issue_letter:
        case_event_record(
            case=case,
            actor=actor,
            kind="answer_letter",
            note=_("Answer letter %(number)s issued.") % {"number": detail.letter_number},
            public_note=_("An answer letter (%(number)s) can be downloaded from this page.")
            % {"number": detail.letter_number},
        )
    return case
