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

Query shapes (pinned in tests): the list is token + memberships + the unit ids of the user's
reach (``cases.selectors.cases_visible_to``, read once for the unit scope too) + token units +
count + one page query (complaint with unit, standard, assigned unit, assignee and details
joined), however long the page.

Modules: ``complaint_schemas`` are the shapes, ``complaint_data`` fills them, the selectors of
``cases`` and ``complaints`` read, the services write, ``throttling`` limits; this one routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Path as PathParam
from ninja import Query, Router
from ninja.responses import Status as StatusResponse

from layanan.accounts.models import User
from layanan.accounts.permissions import can
from layanan.cases.models import Case, CaseKind, Status
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.cases.selectors import cases_visible_to
from layanan.cases.workflow import case_transition
from layanan.catalog.models import ServiceStandard
from layanan.complaints.selectors import (
    complaint_by_code,
    complaints_narrowed,
    published_standard_of,
    takes_complaints,
)
from layanan.complaints.services import (
    complaint_answer,
    complaint_assign,
    complaint_classify,
    complaint_create,
    invalid_assignee,
)
from layanan.core.errors import ApplicationError, NotFound
from layanan.core.models import Unit
from layanan.core.scoping import public_endpoint

from . import selectors
from .auth import public_caller, token_auth
from .common import (
    BAD_REQUEST,
    READ_ERRORS,
    THROTTLED,
    action_responses,
    aware,
    filing_actor,
    filing_channel,
    local,
    staff_filing,
)
from .complaint_data import (
    complaint_data,
    complaint_detail_data,
    complaint_detail_with_audited_reveal,
    track_data,
)
from .complaint_outputs import (
    ComplaintCreatedOut,
    ComplaintDetailOut,
    ComplaintOut,
    StaffOnlyOut,
    TrackOut,
)
from .complaint_schemas import (
    STAFF_ONLY_FIELDS,
    AnswerIn,
    AssignIn,
    ClassifyIn,
    ComplaintFilters,
    ComplaintIn,
    NoteIn,
    RejectIn,
)
from .pagination import PageParams, page_of, paginate
from .permissions import ensure_token_can, within_token_units
from .schemas import ErrorOut, ValidationErrorOut
from .throttling import complaint_submit_throttle as submit_throttle
from .throttling import (
    filing_token_throttle,
    public_throttle,
    token_throttle,
    track_throttle,
)

# What a complaint's answer shows, joined into its one query.
COMPLAINT_JOINS = ("unit", "standard", "assigned_unit", "assignee", "complaint")

ComplaintId = Annotated[
    int,
    PathParam(ge=1, le=2**63 - 1, description="The complaint's `id`.", examples=[123]),
]

# Staff by default (token, per-token rate); the public endpoints say otherwise.
router = Router(tags=["complaints"], auth=token_auth, throttle=[token_throttle])

ACTION_RESPONSES = action_responses(ComplaintDetailOut)


# --- filing -----------------------------------------------------------------------------------


def _standard_for(unit: Unit, slug: str, *, public: bool) -> ServiceStandard:
    standard = published_standard_of(unit, slug)
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
    staff = staff_filing(request, payload, STAFF_ONLY_FIELDS)
    unit = selectors.unit_by_slug(payload.unit)
    if staff:
        ensure_token_can(request, "case.create", unit)
    elif not takes_complaints(unit):
        raise ApplicationError(
            _(
                "%(unit)s does not take complaints directly; file it with the unit that "
                "provides the service."
            )
            % {"unit": unit.name},
            "unit_takes_no_complaints",
        )
    standard = _standard_for(unit, payload.service, public=not staff) if payload.service else None
    case = complaint_create(
        actor=filing_actor(request, staff),
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
        channel=filing_channel(payload.channel, staff),
        received_at=aware(payload.received_at),
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
            "due_at": local(case.due_at),
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
    return track_data(case)


# --- staff: reads -----------------------------------------------------------------------------


def visible_complaints(request: HttpRequest) -> QuerySet[Case]:
    """The complaints the token may see: those of the units where its user may ``case.view``
    (and below), plus those assigned to a division within them — as ``can`` decides for one
    case; narrowed by the token's unit limit (by the complaint's own unit, like
    ``ensure_token_can``)."""
    complaints = cases_visible_to(request.user).filter(kind=CaseKind.COMPLAINT)
    return within_token_units(request.auth, complaints).select_related(*COMPLAINT_JOINS)


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
    now = timezone.now()
    complaints = complaints_narrowed(
        visible_complaints(request),
        user=request.user,
        now=now,
        status=filters.status or "",
        class_code=filters.complaint_class or "",
        channel=filters.channel or "",
        within=selectors.unit_by_slug(filters.unit) if filters.unit else None,
        overdue=filters.overdue,
        text=filters.q or "",
    )
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
