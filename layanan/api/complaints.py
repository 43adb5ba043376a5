"""Complaints: public filing and tracking, the staff's list, detail and actions.

- ``POST /complaints``: the public (no token) and staff tokens. Staff-only fields sent without a
  token are a 403 ``staff_only_fields`` (refused, never silently dropped); a token needs the
  right to record cases in the unit. Filing goes through ``complaints.services.complaint_create``.
- ``GET /track/{public_code}``: public; status, due time, the public timeline and the answer.
  Never the reporter, never a staff name, never an internal event or note.
- ``/complaints`` (GET) and ``/complaints/{id}…``: staff tokens. A complaint the token cannot see
  (another unit's, or outside the token's unit limit) is a 404 ``unknown_complaint``, the same
  answer as an id that does not exist; one it can see but not act on is a 403. Every action
  goes through the complaint services or the status machine (``cases.workflow``), which write
  the timeline in the same transaction: a refused action leaves no event.

Identity: an anonymous complaint stores none. A confidential reporter is shown only to the
unit's complaint officer (a superuser's token included: no bypass), only by
``GET /complaints/{id}``, through ``cases.identity.requester_identity_reveal``, which records
each reading (an internal ``identity_viewed`` event and an audit entry), as the staff pages do;
lists and action answers withhold it.

Query shapes (pinned in tests): the list is token + memberships + token units + count + one
page query (complaint with unit, standard, assigned unit, assignee and details joined), however
long the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Path as PathParam
from ninja import Query, Router
from ninja.responses import Status as StatusResponse
from ninja.throttling import SimpleRateThrottle

from layanan.accounts import actors
from layanan.accounts.models import User
from layanan.accounts.permissions import can, visible_units
from layanan.cases.events import EVENT_LABELS
from layanan.cases.identity import (
    may_reveal_identity,
    requester_identity_for,
    requester_identity_reveal,
)
from layanan.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseKind, Channel, Status
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.cases.selectors import case_search_q, is_overdue, overdue_q
from layanan.cases.workflow import allowed_transitions, case_transition
from layanan.catalog.models import ServiceStandard
from layanan.complaints.selectors import complaint_by_code, public_timeline
from layanan.complaints.services import (
    complaint_answer,
    complaint_assign,
    complaint_classify,
    complaint_create,
    invalid_assignee,
)
from layanan.core.errors import ApplicationError, NotFound, NotPermitted
from layanan.core.models import Unit
from layanan.core.scoping import public_endpoint

from . import selectors
from .auth import token_auth
from .complaint_schemas import (
    STAFF_ONLY_FIELDS,
    AnswerIn,
    AssignIn,
    ClassifyIn,
    ComplaintCreatedOut,
    ComplaintDetailOut,
    ComplaintFilters,
    ComplaintIn,
    ComplaintOut,
    NoteIn,
    RejectIn,
    StaffOnlyOut,
    TrackOut,
)
from .models import ApiToken
from .pagination import PageParams, page_of, paginate
from .permissions import ensure_token_can, token_reaches, token_units
from .schemas import ErrorOut, ValidationErrorOut
from .throttling import (
    ClientAddressMixin,
    LookupThrottle,
    TokenThrottle,
    public_throttle,
    token_throttle,
)

# What a complaint's answer shows, joined into its one query.
COMPLAINT_JOINS = ("unit", "standard", "assigned_unit", "assignee", "complaint")

ComplaintId = Annotated[
    int,
    PathParam(ge=1, le=2**63 - 1, description="The complaint's `id`.", examples=[123]),
]

# --- callers and rate limits ------------------------------------------------------------------


class PublicCaller:
    """``request.auth`` of a filing without a token: a member of the public."""

    def __str__(self) -> str:
        return "public"


PUBLIC = PublicCaller()


def public_caller(request: HttpRequest) -> PublicCaller:
    """Second authenticator of the filing: no token means the public. A token that does not
    work is still a 401 (``token_auth`` raises before this runs)."""
    return PUBLIC


DEFAULT_SUBMIT_RATE = "20/h"


class PublicRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Per client address, for calls without a token, with its own budget (``scope``) and rate
    (a setting in ninja's rate syntax, read when the process starts)."""

    def __init__(self, scope: str, setting: str, default: str) -> None:
        self.scope = scope
        super().__init__(rate=getattr(settings, setting, default))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FilingTokenThrottle(TokenThrottle):
    """The token's usual budget, on an endpoint that the public may call too."""

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if not isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return super().get_cache_key(request)


# Filing: a few complaints an hour per address, valid or not (many citizens may share one
# address, so not fewer); tracking: the one lookup budget shared with the tracking pages and
# Open311 (core.ratelimit.TRACKING_LOOKUPS), so that guessing codes can neither hide in
# catalogue traffic nor move to another path.
submit_throttle = PublicRateThrottle(
    "layanan_complaint_submit", "API_THROTTLE_COMPLAINT", DEFAULT_SUBMIT_RATE
)
track_throttle = LookupThrottle()
filing_token_throttle = FilingTokenThrottle()

# Staff by default (token, per-token rate); the public endpoints say otherwise.
router = Router(tags=["complaints"], auth=token_auth, throttle=[token_throttle])

THROTTLED = {429: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, **THROTTLED}
# A 400 is request validation (with `errors`), a body that is not JSON, or a domain error.
BAD_REQUEST = ValidationErrorOut | ErrorOut
ACTION_RESPONSES = {
    200: ComplaintDetailOut,
    400: BAD_REQUEST,
    **READ_ERRORS,
    409: ErrorOut,
}


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def _unit_brief(unit: Unit | None) -> dict | None:
    return {"slug": unit.slug, "name": unit.name} if unit is not None else None


def _status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


# --- filing -----------------------------------------------------------------------------------


def _standard_for(unit: Unit, slug: str, *, public: bool) -> ServiceStandard:
    standard = (
        ServiceStandard.objects.published()
        .select_related("published_version")
        .filter(unit=unit, slug=slug)
        .first()
    )
    if standard is None:
        raise NotFound(
            _("There is no published service standard “%(slug)s”.") % {"slug": slug},
            "unknown_standard",
        )
    if public and not standard.accepts_complaints:
        raise ApplicationError(
            _("This service does not take complaints here."), "service_takes_no_complaints"
        )
    return standard


def _takes_complaints(unit: Unit) -> bool:
    """The units the public may complain to, as on the public form: those offering a published
    service that takes complaints."""
    return ServiceStandard.objects.published().filter(unit=unit, accepts_complaints=True).exists()


@router.post(
    "/complaints",
    auth=[token_auth, public_caller],
    throttle=[submit_throttle, filing_token_throttle],
    response={
        201: ComplaintCreatedOut,
        400: BAD_REQUEST,
        401: ErrorOut,
        403: StaffOnlyOut | ErrorOut,
        404: ErrorOut,
        **THROTTLED,
    },
    url_name="complaint_create",
    summary="File a complaint",
    openapi_extra={"security": [{}]},  # the token is optional
)
@public_endpoint("filing only creates; staff tokens are checked by complaint_create")
def complaint_file(request: HttpRequest, payload: ComplaintIn):
    """File a complaint with a unit. **No token is needed**: the answer gives the complaint's
    `number`, the `public_code` to follow it and the `tracking_url`. The public's complaints come
    through the channel `web` and are received now; `due_at` is provisional until the complaint
    officer classifies the complaint.

    With a staff token (its user may record cases in the unit) the call may also set `channel`
    (default `api`; `lapor` needs `lapor_number`), `received_at` (not in the future, not before
    1 January of the year before the unit was set up) and `complaint_class` (a code of the
    unit's standard). Sent **without** a token, any of these is
    refused: 403 `staff_only_fields`, with the fields named in `fields` — nothing is recorded.

    `anonymous: true` discards name, email and phone before anything is stored; `confidential:
    true` keeps them for the unit's complaint officer only.

    Errors: 400 `invalid_request` (not JSON-shaped right: wrong types, unknown keys, too long),
    `bad_request` (not JSON at all), `description_required`, `unknown_class`, `future_receipt`,
    `receipt_too_old`, `lapor_number_required`, `unit_takes_no_complaints`,
    `service_takes_no_complaints`; 401 for a
    token that does not work (never treated as the public); 403 `permission_denied` /
    `token_out_of_scope`; 404 `unknown_unit`, `unknown_standard`; 429 `throttled` past the
    filing rate (per address without a token, setting `API_THROTTLE_COMPLAINT`, default 20 an
    hour), with `Retry-After`."""
    staff = isinstance(request.auth, ApiToken)
    sent = [
        name
        for name in STAFF_ONLY_FIELDS
        if name in payload.model_fields_set and getattr(payload, name) not in (None, "")
    ]
    if sent and not staff:
        raise NotPermitted(
            _("Only staff may set these fields: %(fields)s.") % {"fields": ", ".join(sent)},
            "staff_only_fields",
            extra={"fields": sent},
        )
    unit = selectors.unit_by_slug(payload.unit)
    if staff:
        ensure_token_can(request, "case.create", unit)
    elif not _takes_complaints(unit):
        raise ApplicationError(
            _(
                "%(unit)s does not take complaints directly; file it with the unit that "
                "provides the service."
            )
            % {"unit": unit.name},
            "unit_takes_no_complaints",
        )
    standard = _standard_for(unit, payload.service, public=not staff) if payload.service else None
    received_at = payload.received_at
    if received_at is not None and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, timezone.get_default_timezone())
    case = complaint_create(
        actor=request.user if staff else actors.PUBLIC,
        unit=unit,
        standard=standard,
        description=payload.description,
        subject=payload.subject,
        location=payload.location,
        requester_name=payload.name,
        requester_email=payload.email,
        requester_phone=payload.phone,
        anonymous=payload.anonymous,
        confidential=payload.confidential,
        channel=(payload.channel or Channel.API) if staff else Channel.WEB,
        received_at=received_at,
        class_code=payload.complaint_class or "",
        lapor_number=payload.lapor_number or "",
    )
    code = format_public_code(case.public_code)
    return StatusResponse(
        201,
        {
            "id": case.pk,
            "number": case.number,
            "public_code": code,
            "status": case.status,
            "due_at": _local(case.due_at),
            "tracking_url": request.build_absolute_uri(reverse("api:track", args=[code])),
        },
    )


# --- public tracking --------------------------------------------------------------------------


@router.get(
    "/track/{public_code}",
    auth=None,
    throttle=[public_throttle, track_throttle],
    response={200: TrackOut, 404: ErrorOut, **THROTTLED},
    url_name="track",
    summary="Follow a complaint by its tracking code",
)
@public_endpoint("the tracking code is the secret; the answer holds no identity")
def track(request: HttpRequest, response: HttpResponse, public_code: str):
    """The status of a complaint, its due time, its public timeline and, once answered, the
    answer — for whoever holds the tracking code (upper or lower case, with or without dashes).
    Never shows who filed it or who on the staff handled it; internal steps and notes stay out.

    Unknown code: 404 `not_found`. Lookups are rate-limited per address, in one budget with the
    tracking page and Open311's lookups by id (setting `TRACKING_LOOKUP_RATE`, default 120 per
    10 minutes, every lookup counts): 429 `throttled` with `Retry-After`."""
    # Whoever holds the code may read this, nobody else: no shared cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    code = normalise_public_code(public_code)
    case = complaint_by_code(code) if 0 < len(code) <= 16 else None
    if case is None:
        raise NotFound(_("There is no complaint with this tracking code."), "not_found")
    answer = None
    if case.status in (Status.ANSWERED, Status.CLOSED):
        answer = case.complaint.answer or None
    return {
        "number": case.number,
        "public_code": format_public_code(case.public_code),
        "unit": _unit_brief(case.unit),
        "status": case.status,
        "status_label": _status_label(case.status),
        "received_at": _local(case.received_at),
        "due_at": _local(case.due_at),
        "answered_at": _local(case.answered_at),
        "closed_at": _local(case.closed_at),
        # The same entries, in the same words, as the tracking page (complaints/selectors.py).
        "timeline": [
            {
                "at": _local(entry.at),
                "label": entry.label,
                "status": entry.status,
                "note": entry.note,
            }
            for entry in public_timeline(case)
        ],
        "answer": answer,
    }


# --- staff: reads -----------------------------------------------------------------------------


def visible_complaints(request: HttpRequest) -> QuerySet[Case]:
    """The complaints the token may see: those of the units where its user may ``case.view``
    (and below), plus those assigned to a division within them — as ``can`` decides for one
    case; narrowed by the token's unit limit (by the complaint's own unit, like
    ``ensure_token_can``)."""
    units = visible_units(request.user, "case.view")
    complaints = Case.objects.filter(kind=CaseKind.COMPLAINT).filter(
        Q(unit__in=units) | Q(assigned_unit__in=units)
    )
    limit = token_units(request.auth)
    if limit:
        within = Q(pk__in=[])
        for allowed in limit:
            within |= Q(unit__path__startswith=allowed.path)
        complaints = complaints.filter(within)
    return complaints.select_related(*COMPLAINT_JOINS)


def _unknown_complaint() -> NotFound:
    return NotFound(_("There is no complaint with this id."), "unknown_complaint")


def complaint_for(request: HttpRequest, complaint_id: int) -> Case:
    """The complaint if the token may see it; otherwise 404 — the same answer as for an id that
    does not exist, so other units' complaints do not reveal themselves."""
    ensure_token_can(request, "api.use_staff")
    case = visible_complaints(request).filter(pk=complaint_id).first()
    if case is None or not can(request.user, "case.view", case):
        raise _unknown_complaint()
    return case


def _requester(request: HttpRequest, case: Case, *, reveal: bool) -> tuple[str, dict | None]:
    """(``requester_state``, ``requester``) as this answer may carry them. ``reveal`` asks for a
    confidential reporter: ``cases.identity`` decides and records the reading."""
    if case.is_anonymous:
        return "anonymous", None
    if case.is_confidential:
        if not (reveal and may_reveal_identity(request.user, case)):
            return "withheld", None
        return "shown", requester_identity_reveal(actor=request.user, case=case).as_dict()
    identity = requester_identity_for(request.user, case)
    return ("shown", identity.as_dict()) if identity is not None else ("withheld", None)


def complaint_data(request: HttpRequest, case: Case, *, now, reveal: bool = False) -> dict:
    detail = case.complaint
    state, identity = _requester(request, case, reveal=reveal)
    return {
        "id": case.pk,
        "number": case.number,
        "unit": _unit_brief(case.unit),
        "standard": case.standard.slug if case.standard_id else None,
        "channel": case.channel,
        "channel_label": str(Channel(case.channel).label),
        "status": case.status,
        "status_label": _status_label(case.status),
        "subject": case.subject,
        "description": case.description,
        "location": detail.location,
        "class_code": detail.class_code,
        "class_name": detail.class_name,
        "classified_at": _local(detail.classified_at),
        "lapor_number": detail.lapor_number,
        "is_anonymous": case.is_anonymous,
        "is_confidential": case.is_confidential,
        "requester": identity,
        "requester_state": state,
        "received_at": _local(case.received_at),
        "due_at": _local(case.due_at),
        "first_response_at": _local(case.first_response_at),
        "answered_at": _local(case.answered_at),
        "closed_at": _local(case.closed_at),
        "is_overdue": is_overdue(case, now),
        "is_paused": case.paused_since is not None,
        "sla_state": case.sla_state,
        "assigned_unit": _unit_brief(case.assigned_unit),
        "assignee": case.assignee.get_username() if case.assignee_id else None,
        "url": request.build_absolute_uri(reverse("api:complaint_detail", args=[case.pk])),
    }


# The actions of this API: the permission each needs and the statuses it applies to (the
# services and the status machine decide in the end; this only tells the caller what to offer).
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "verify": ("case.verify", (Status.RECEIVED,)),
    "classify": ("case.verify", OPEN_STATUSES),
    "assign": ("case.assign", OPEN_STATUSES),
    "answer": ("case.send_answer", (Status.VERIFIED, Status.IN_PROGRESS)),
    "close": ("case.close", (Status.ANSWERED,)),
    "reject": ("case.verify", (Status.RECEIVED, Status.VERIFIED)),
}


def complaint_detail_data(request: HttpRequest, case: Case) -> dict:
    """The complaint with its answer, actions and timeline; a confidential reporter withheld.
    Reads only: no event, no audit entry."""
    return _complaint_detail(request, case, reveal=False)


def complaint_detail_with_audited_reveal(request: HttpRequest, case: Case) -> dict:
    """The same, with a confidential reporter shown to whoever may see them — and each such
    showing *written* to the record (``requester_identity_reveal``: an internal
    ``identity_viewed`` event and an audit entry)."""
    return _complaint_detail(request, case, reveal=True)


def _complaint_detail(request: HttpRequest, case: Case, *, reveal: bool) -> dict:
    data = complaint_data(request, case, now=timezone.now(), reveal=reveal)
    # The reporter's secret appears on its own case only, never in a list others read.
    data["public_code"] = format_public_code(case.public_code)
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")
    data["answer"] = case.complaint.answer
    data["allowed_transitions"] = allowed_transitions(case)
    data["actions"] = [
        name
        for name, (permission, statuses) in ACTIONS.items()
        if case.status in statuses
        and can(request.user, permission, case)
        and token_reaches(request.auth, case)
    ]
    data["events"] = [
        {
            "at": _local(event.at),
            "kind": event.kind,
            "label": str(EVENT_LABELS.get(event.kind, event.kind)),
            "actor": event.actor.get_username() if event.actor_id else None,
            "old_value": event.old_value,
            "new_value": event.new_value,
            "note": event.note,
            "public_note": event.public_note,
            "is_internal": event.is_internal,
        }
        for event in events
    ]
    return data


@router.get(
    "/complaints",
    response={200: page_of(ComplaintOut), 400: ValidationErrorOut, **READ_ERRORS},
    url_name="complaint_list",
    summary="List the complaints the token may see",
)
def complaint_list(request: HttpRequest, page: Query[PageParams], filters: Query[ComplaintFilters]):
    """Complaints to the units the token's user works in (and the units below them), plus
    those assigned to their division; a token limited to some units sees only theirs. Most
    urgent first (`due_at`, those without one last).

    Filters: `status`, `class` (a class code; `-`: not classified yet), `channel`, `overdue`
    (true: open, clock running, past `due_at`; false: the others), `unit` (slug, with the units
    below it; unknown: 404 `unknown_unit`), `q` (text search). A list never carries a
    confidential reporter (`requester_state: withheld`; see `GET /complaints/{id}`) and
    never an anonymous one (none is stored)."""
    ensure_token_can(request, "api.use_staff")
    complaints = visible_complaints(request)
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.complaint_class == "-":
        complaints = complaints.filter(complaint__class_code="")
    elif filters.complaint_class:
        complaints = complaints.filter(complaint__class_code=filters.complaint_class)
    if filters.channel:
        complaints = complaints.filter(channel=filters.channel)
    if filters.unit:
        scope = selectors.unit_by_slug(filters.unit)
        complaints = complaints.filter(unit__path__startswith=scope.path)
    now = timezone.now()
    if filters.overdue is True:
        complaints = complaints.filter(overdue_q(now))
    elif filters.overdue is False:
        complaints = complaints.exclude(overdue_q(now))
    text = (filters.q or "").strip()
    if text:
        complaints = complaints.filter(case_search_q(text, request.user))
    complaints = complaints.order_by(F("due_at").asc(nulls_last=True), "received_at", "pk")
    return paginate(request, complaints, page, lambda case: complaint_data(request, case, now=now))


@router.get(
    "/complaints/{complaint_id}",
    response={200: ComplaintDetailOut, 400: ValidationErrorOut, **READ_ERRORS},
    url_name="complaint_detail",
    summary="One complaint, with its timeline",
)
def complaint_detail(request: HttpRequest, complaint_id: ComplaintId):
    """The complaint (as in the list) with its answer, the statuses it may move to and its
    whole timeline, internal events included.

    `requester` follows the reporter's choice: null for an anonymous complaint (nothing is
    stored); for a confidential one, shown to the unit's complaint officer only — and each such
    reading adds an internal `identity_viewed` event to the timeline. A complaint the token
    cannot see is a 404 `unknown_complaint`, like an id that does not exist."""
    case = complaint_for(request, complaint_id)
    return complaint_detail_with_audited_reveal(request, case)


# --- staff: actions ---------------------------------------------------------------------------


def _acting_on(request: HttpRequest, complaint_id: int, action: str) -> Case:
    """The complaint (404 when out of sight) if the caller may ``action`` on it (else 403)."""
    case = complaint_for(request, complaint_id)
    ensure_token_can(request, action, case)
    return case


def _after(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The complaint as it is now (a confidential reporter withheld: see the detail)."""
    fresh = Case.objects.select_related(*COMPLAINT_JOINS).get(pk=case.pk)
    return complaint_detail_data(request, fresh)


def _notes(payload: NoteIn | None) -> dict[str, str]:
    """The internal ``note`` and the reporter's ``public_note`` of an optional body."""
    if payload is None:
        return {"note": "", "public_note": ""}
    return {"note": payload.note.strip(), "public_note": payload.public_note.strip()}


ACTION_PATH = "/complaints/{complaint_id}/"


@router.post(
    ACTION_PATH + "verify",
    response=ACTION_RESPONSES,
    url_name="complaint_verify",
    summary="Verify a received complaint",
)
def complaint_verify(
    request: HttpRequest, complaint_id: ComplaintId, payload: NoteIn | None = None
):
    """`received` → `verified`: the complaint officer has checked it. The optional `note` is
    internal (staff only); the optional `public_note` is shown to the reporter on the public
    timeline. Complaint officer or head; 409 `invalid_transition` from any other status."""
    case = _acting_on(request, complaint_id, "case.verify")
    case_transition(actor=request.user, case=case, to=Status.VERIFIED, **_notes(payload))
    return _after(request, case)


@router.post(
    ACTION_PATH + "classify",
    response=ACTION_RESPONSES,
    url_name="complaint_classify",
    summary="Classify (or reclassify) a complaint",
)
def complaint_classify_endpoint(
    request: HttpRequest, complaint_id: ComplaintId, payload: ClassifyIn
):
    """Set the complaint class, `{"class": "<code>"}` (a class of the unit's standard); the due
    time is recomputed from the original receipt. Complaint officer or head. 400
    `unknown_class`, `not_open`."""
    case = _acting_on(request, complaint_id, "case.verify")
    complaint_classify(actor=request.user, case=case, class_code=payload.complaint_class.strip())
    return _after(request, case)


@router.post(
    ACTION_PATH + "assign",
    response=ACTION_RESPONSES,
    url_name="complaint_assign",
    summary="Assign a complaint to a division (and a person)",
)
def complaint_assign_endpoint(request: HttpRequest, complaint_id: ComplaintId, payload: AssignIn):
    """Give the complaint to a division within its unit (`division`, a unit slug) and optionally
    to one person (`assignee`, the username of someone who may work on that division's cases).
    The `note` is internal. Complaint officer or head. 404 `unknown_unit`; 400
    `foreign_division`, `invalid_assignee`."""
    case = _acting_on(request, complaint_id, "case.assign")
    division = selectors.unit_by_slug(payload.division)
    assignee = None
    if payload.assignee:
        # Who may be assigned is complaint_assign's rule; here only "no such user" is ours.
        assignee = User.objects.filter(username=payload.assignee).first()
        if assignee is None:
            raise invalid_assignee(payload.assignee, division)
    complaint_assign(
        actor=request.user,
        case=case,
        division=division,
        assignee=assignee,
        note=payload.note.strip(),
    )
    return _after(request, case)


@router.post(
    ACTION_PATH + "answer",
    response=ACTION_RESPONSES,
    url_name="complaint_answer",
    summary="Answer a complaint",
)
def complaint_answer_endpoint(request: HttpRequest, complaint_id: ComplaintId, payload: AnswerIn):
    """Store the answer (the reporter reads it on the tracking answer) and move the complaint
    to `answered`. Complaint officer or head (a handler drafts on the staff page; sending is
    theirs). 400 `answer_required`; 409 `invalid_transition` (only a verified or in-progress
    complaint can be answered)."""
    case = _acting_on(request, complaint_id, "case.send_answer")
    complaint_answer(actor=request.user, case=case, answer=payload.answer)
    return _after(request, case)


@router.post(
    ACTION_PATH + "close",
    response=ACTION_RESPONSES,
    url_name="complaint_close",
    summary="Close an answered complaint",
)
def complaint_close(request: HttpRequest, complaint_id: ComplaintId, payload: NoteIn | None = None):
    """`answered` → `closed` (otherwise 409 `invalid_transition`). The optional `note` is
    internal; the optional `public_note` is shown to the reporter. Complaint officer or head."""
    case = _acting_on(request, complaint_id, "case.close")
    case_transition(actor=request.user, case=case, to=Status.CLOSED, **_notes(payload))
    return _after(request, case)


@router.post(
    ACTION_PATH + "reject",
    response=ACTION_RESPONSES,
    url_name="complaint_reject",
    summary="Reject a complaint",
)
def complaint_reject(request: HttpRequest, complaint_id: ComplaintId, payload: RejectIn):
    """Refuse a `received` or `verified` complaint (otherwise 409 `invalid_transition`). The
    `reason` is required and the reporter reads it on the public timeline; the optional `note`
    is internal. Complaint officer or head. 400 `reason_required`."""
    case = _acting_on(request, complaint_id, "case.verify")
    # "A rejection needs a reason" is the status machine's rule (reason_required).
    case_transition(
        actor=request.user,
        case=case,
        to=Status.REJECTED,
        public_note=payload.reason,
        note=payload.note.strip(),
    )
    return _after(request, case)
