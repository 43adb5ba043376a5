"""Writes for audience requests (audiensi): receive, disposition, schedule, reply, close.

==================================  =============  ===========================================
step                                case status    who (``accounts/permissions.py``)
==================================  =============  ===========================================
request received (web form, letter)  received      anyone (web); ``case.create`` (letter, API)
disposition to a division            verified      ``case.dispose`` (head of unit, admin)
schedule proposed with the official  in_progress   ``case.work`` (the division's handler, …)
reply letter issued, requester told  answered      ``case.verify`` + ``case.answer`` (officer,
                                                   head, admin)
closed                               closed        ``case.close``
==================================  =============  ===========================================

Every step goes through ``case_transition`` (or ``case_event_record``), in one transaction with
the detail's change, so the timeline says who did what and when. The deadline is the
completion time of the unit's audience standard (Biro Kesra, "Fasilitasi Audiensi": 3 days).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import can, ensure_can
from layanan.cases.events import case_event_record
from layanan.cases.models import Case, CaseKind, Channel, Status
from layanan.cases.services import case_assign, case_create, ensure_own_division
from layanan.cases.workflow import case_transition
from layanan.catalog.models import ServiceKind, ServiceStandard
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError, Conflict
from layanan.core.letters import indonesian_date
from layanan.core.models import AuditAction, Unit

from .letters import (
    allocate_reply_number,
    format_schedule,
    freeze_reply,
    letter_digest,
    template_for,
)
from .models import AudienceDetail
from .notifications import notify_reply

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User

logger = logging.getLogger("layanan.audiences")

MAX_LEAD_TIME = dt.timedelta(days=366)
MAX_PREFERRED_DATES = 3
#: what a request letter may be: a PDF or a scan/photo (checked by content, not by name)
LETTER_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


def letter_file_check(uploads: Iterable[UploadedFile] | None) -> None:
    """Refuse a request letter that is not a PDF or an image (by content) or is too large."""
    from django.core.exceptions import ValidationError

    from layanan.cases.attachments import attachment_validate

    for upload in uploads or ():
        try:
            content_type = attachment_validate(upload)
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), "bad_letter_file") from error
        if content_type not in LETTER_TYPES:
            raise ApplicationError(
                _("“%(name)s”: the letter must be a PDF or an image (JPG, PNG, WebP).")
                % {"name": upload.name},
                "bad_letter_file",
            )


def audience_standard(unit: Unit) -> ServiceStandard | None:
    """The published audience standard of ``unit`` or, failing that, of its nearest ancestor."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    candidates = list(
        ServiceStandard.objects.published()
        .filter(service_kind=ServiceKind.AUDIENCE, unit_id__in=ids)
        .select_related("unit", "published_version")
    )
    if not candidates:
        return None
    candidates.sort(key=lambda s: (-len(s.unit.path), s.position, s.pk))
    return candidates[0]


def audience_units() -> QuerySet[Unit]:
    """Units the public may ask for an audience: those with a published audience standard."""
    ids = (
        ServiceStandard.objects.published()
        .filter(service_kind=ServiceKind.AUDIENCE)
        .values_list("unit_id", flat=True)
    )
    return Unit.objects.filter(pk__in=ids).order_by("path")


def _clean_dates(dates: Iterable[dt.date | None] | None, *, today: dt.date) -> list[dt.date]:
    given = [d for d in (dates or []) if d is not None]
    if not given:
        raise ApplicationError(_("Please give at least one preferred date."), "date_required")
    if len(given) > MAX_PREFERRED_DATES:
        raise ApplicationError(
            _("Give at most %(n)s preferred dates.") % {"n": MAX_PREFERRED_DATES}, "too_many_dates"
        )
    if any(d < today for d in given):
        raise ApplicationError(_("A preferred date is in the past."), "date_in_past")
    if any(d - today > MAX_LEAD_TIME for d in given):
        raise ApplicationError(
            _("Requests can be made at most one year ahead."), "date_too_far_ahead"
        )
    return sorted(set(given))


@transaction.atomic
def audience_request_create(
    *,
    actor: AnyActor,
    unit: Unit,
    organisation: str,
    topic: str,
    preferred_dates: list[dt.date],
    participants: int,
    requester_name: str,
    requester_email: str = "",
    requester_phone: str = "",
    official_requested: str = "",
    letter_number: str = "",
    letter_date: dt.date | None = None,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    letter_uploads: Iterable[UploadedFile] = (),
) -> Case:
    """Receive an audience request: a case of kind ``audience`` with its detail.

    The public files through the web only, with its request letter attached (PDF or image);
    staff (``case.create`` in the unit) record other channels — a letter, with its scan
    attached — and the real time of receipt. Everything is written in one transaction: a
    refused letter file leaves no case behind.
    """
    staff = getattr(actor, "is_authenticated", False)
    if staff or channel != Channel.WEB or received_at is not None:
        ensure_can(actor, "case.create", unit)
    letter_file_check(letter_uploads)
    now = timezone.now()
    if received_at is not None and received_at > now + dt.timedelta(minutes=5):
        raise ApplicationError(_("The time of receipt cannot be in the future."), "future_receipt")
    standard = audience_standard(unit)
    if not staff and standard is None:
        raise ApplicationError(
            _("%(unit)s does not take audience requests online.") % {"unit": unit.name},
            "unit_takes_no_audiences",
        )
    organisation = (organisation or "").strip()
    topic = (topic or "").strip()
    requester_name = (requester_name or "").strip()
    if not organisation:
        raise ApplicationError(
            _("Please give the organisation asking for the audience."), "organisation_required"
        )
    if not topic:
        raise ApplicationError(_("Please describe the topic of the audience."), "topic_required")
    if not requester_name:
        raise ApplicationError(_("Please give the name of a contact person."), "name_required")
    if not (requester_email or requester_phone):
        raise ApplicationError(
            _("Please give an email address or a telephone number so we can reply."),
            "contact_required",
        )
    if not participants or participants < 1:
        raise ApplicationError(
            _("Please give the number of participants."), "participants_required"
        )
    dates = _clean_dates(preferred_dates, today=timezone.localdate())
    case = case_create(
        actor=actor,
        kind=CaseKind.AUDIENCE,
        unit=unit,
        channel=channel,
        received_at=received_at,
        standard=standard,
        subject=f"{organisation}: {topic}"[:200],
        description=topic,
        requester_name=requester_name[:150],
        requester_email=(requester_email or "").strip(),
        requester_phone=requester_phone or "",
        requester_organisation=organisation[:200],
    )
    AudienceDetail.objects.create(
        case=case,
        organisation=organisation[:200],
        topic=topic,
        preferred_date_1=dates[0],
        preferred_date_2=dates[1] if len(dates) > 1 else None,
        preferred_date_3=dates[2] if len(dates) > 2 else None,
        participants=participants,
        official_requested=(official_requested or "").strip()[:200],
        letter_number=(letter_number or "").strip()[:100],
        letter_date=letter_date,
    )
    if letter_uploads:
        from layanan.cases.attachments import attachment_add

        for upload in letter_uploads:
            attachment_add(case=case, upload=upload, actor=actor)
    return case


def _lock(case: Case) -> tuple[Case, AudienceDetail]:
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if case.kind != CaseKind.AUDIENCE:
        raise ApplicationError(_("This case is not an audience request."), "not_audience")
    detail = AudienceDetail.objects.select_for_update().get(case=case)
    detail.case = case
    return case, detail


def _not_now(case: Case, action: str) -> Conflict:
    return Conflict(
        _("An audience request that is “%(status)s” cannot be %(action)s.")
        % {"status": Status(case.status).label, "action": action},
        "invalid_transition",
    )


@transaction.atomic
def audience_dispose(
    *, actor: AnyActor, case: Case, division: Unit, instruction: str
) -> AudienceDetail:
    """The head of unit hands the request to a division (Bagian) with an instruction.

    ``received`` → ``verified``. A second disposition (re-routing) is allowed while no schedule
    was proposed; it is recorded as such.
    """
    case, detail = _lock(case)
    ensure_can(actor, "case.dispose", case)
    instruction = (instruction or "").strip()
    if not instruction:
        raise ApplicationError(_("Please write the instruction."), "instruction_required")
    refusal = _("A request can only be handed to a division of its own unit.")
    ensure_own_division(case, division, refusal=refusal)
    if case.status not in (Status.RECEIVED, Status.VERIFIED):
        raise _not_now(case, _("handed on"))
    now = timezone.now()
    detail.instruction = instruction
    detail.disposed_by = user_or_none(actor)
    detail.disposed_at = now
    detail.save(update_fields=["instruction", "disposed_by", "disposed_at"])
    case_assign(
        actor=actor,
        case=case,
        division=division,
        refusal=refusal,
        event="disposition",
        note=instruction,
        at=now,
    )
    if case.status == Status.RECEIVED:
        case_transition(actor=actor, case=case, to=Status.VERIFIED)
    return detail


@transaction.atomic
def audience_schedule(
    *,
    actor: AnyActor,
    case: Case,
    starts_at: dt.datetime,
    place: str,
    official: str,
    note: str = "",
    official_user: User | None = None,
) -> AudienceDetail:
    """The division proposes the time, the place and the official who receives the guests.

    ``verified`` → ``in_progress``; before the reply letter, the schedule may be changed.
    """
    case, detail = _lock(case)
    ensure_can(actor, "case.work", case)
    if case.status not in (Status.VERIFIED, Status.IN_PROGRESS):
        raise _not_now(case, _("scheduled"))
    place, official = (place or "").strip(), (official or "").strip()
    if starts_at is None:
        raise ApplicationError(_("Please give the date and time."), "starts_at_required")
    if starts_at < timezone.now():
        raise ApplicationError(_("The proposed time is in the past."), "in_the_past")
    if not place:
        raise ApplicationError(_("Please give the place."), "place_required")
    if not official:
        raise ApplicationError(
            _("Please name the official who receives the audience."), "official_required"
        )
    if official_user is not None and not can(official_user, "case.view", case):
        raise ApplicationError(
            _("The official's account must belong to this office."), "foreign_official"
        )
    had = detail.schedule_starts_at is not None
    detail.schedule_starts_at = starts_at
    detail.official_user = official_user
    detail.schedule_place = place[:200]
    detail.schedule_official = official[:200]
    detail.scheduled_by = user_or_none(actor)
    detail.scheduled_at = timezone.now()
    detail.save(
        update_fields=[
            "schedule_starts_at",
            "schedule_place",
            "schedule_official",
            "official_user",
            "scheduled_by",
            "scheduled_at",
        ]
    )
    text = f"{format_schedule(starts_at, case.unit)}, {place}, {official}"
    if case.status == Status.VERIFIED:
        case_transition(
            actor=actor, case=case, to=Status.IN_PROGRESS, note=note.strip(), internal_note=True
        )
    case_event_record(
        case=case,
        actor=actor,
        kind="schedule_changed" if had else "schedule_proposed",
        new=text,
        note=note.strip(),
        internal=True,
    )
    return detail


@transaction.atomic
def audience_reply(
    *,
    actor: AnyActor,
    case: Case,
    on: dt.date | None = None,
    note: str = "",
    confirmed_digest: str | None = None,
) -> AudienceDetail:
    """Issue the numbered reply letter from the unit's template and tell the requester.

    ``in_progress`` → ``answered``. The number comes from the unit's gapless counter for the
    letter's year; the text, subject and signatory are frozen on the detail so a reprint is the
    same letter even after the template changes. The requester gets the schedule by e-mail (or
    WhatsApp when only a phone number was given) through the outbox, in this transaction.

    ``confirmed_digest`` is the :func:`letter_digest` of the preview the staff member confirmed
    (the staff page always sends it): when the letter issuing now would give differs — another
    letter took the number, the template or the schedule changed — nothing is issued and the
    number goes back (``letter_changed``). Issuing is audited.
    """
    case, detail = _lock(case)
    ensure_can(actor, "case.verify", case)
    ensure_can(actor, "case.answer", case)
    if detail.reply_number:
        raise Conflict(
            _("The reply letter %(number)s was already issued.") % {"number": detail.reply_number},
            "already_replied",
        )
    if case.status != Status.IN_PROGRESS or detail.schedule_starts_at is None:
        raise Conflict(
            _("Propose a schedule before issuing the reply letter."), "schedule_required"
        )
    on = on or timezone.localdate()
    template = template_for(case.unit)
    freeze_reply(detail, template=template, on=on)
    detail.reply_number = allocate_reply_number(template=template, on=on)
    if confirmed_digest is not None and confirmed_digest != letter_digest(detail):
        raise Conflict(
            _(
                "The letter has changed since the preview (its number, text or schedule). "
                "Look at the new preview and confirm again."
            ),
            "letter_changed",
        )
    detail.replied_by = user_or_none(actor)
    detail.replied_at = timezone.now()
    detail.save()
    case_transition(
        actor=actor,
        case=case,
        to=Status.ANSWERED,
        note=_("Reply letter %(number)s of %(date)s.")
        % {"number": detail.reply_number, "date": indonesian_date(on)}
        + (f" {note.strip()}" if note.strip() else ""),
    )
    audit_log(
        actor=actor,
        action=AuditAction.LETTER_ISSUED,
        target=case,
        unit=case.unit,
        data={
            "letter": "audience_reply",
            "number": detail.reply_number,
            "date": on.isoformat(),
            "digest": letter_digest(detail),
        },
    )
    notify_reply(detail)
    return detail


@transaction.atomic
def audience_close(*, actor: AnyActor, case: Case, note: str = "") -> Case:
    """``answered`` → ``closed`` (the audience took place, or will not need us further)."""
    case, _detail = _lock(case)
    ensure_can(actor, "case.close", case)
    if case.status != Status.ANSWERED:
        raise _not_now(case, _("closed"))
    return case_transition(actor=actor, case=case, to=Status.CLOSED, note=(note or "").strip())


@transaction.atomic
def audience_refuse(*, actor: AnyActor, case: Case, reason: str) -> Case:
    """Refuse the request (head of unit) with a reason the requester reads."""
    case, _detail = _lock(case)
    ensure_can(actor, "case.dispose", case)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Please give the reason for the refusal."), "reason_required")
    if case.status not in (Status.RECEIVED, Status.VERIFIED):
        raise _not_now(case, _("refused"))
    return case_transition(
        actor=actor, case=case, to=Status.REJECTED, note=reason, public_note=reason
    )


def may(user: User, action: str, case: Case) -> bool:
    """Whether to offer ``action`` (dispose, schedule, reply, close, refuse) on the page."""
    checks = {
        "dispose": ("case.dispose", (Status.RECEIVED, Status.VERIFIED)),
        "refuse": ("case.dispose", (Status.RECEIVED, Status.VERIFIED)),
        "schedule": ("case.work", (Status.VERIFIED, Status.IN_PROGRESS)),
        "reply": ("case.verify", (Status.IN_PROGRESS,)),
        "close": ("case.close", (Status.ANSWERED,)),
    }
    permission, statuses = checks[action]
    if case.status not in statuses or not can(user, permission, case):
        return False
    if action == "reply":
        return can(user, "case.answer", case) and case.audience.schedule_starts_at is not None
    return True
