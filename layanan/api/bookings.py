"""Facility bookings and audience requests, in the style of the complaints API.

- ``GET /resources``: public, the facilities that take requests (as on the public form).
- ``POST /bookings`` and ``POST /audiences``: the public (no token, channel ``web``, rate-limited
  per address like complaints) and staff tokens (the right to record cases in the unit; they may
  set the channel and, for audiences, the real time of receipt and the request letter).
- ``GET /bookings``, ``GET /audiences`` (+ ``/{id}``) and the actions: staff tokens. A case the
  token cannot see — another unit's, or outside the token's unit limit — is a 404 (``unknown_
  booking`` / ``unknown_audience``), the same answer as an id that does not exist; one it can
  see but not act on is a 403. Actions go through ``bookings.services`` and
  ``bookings.audience_services``, which check the user's rights and write the timeline.

Query shapes (pinned in tests): a list is token + memberships + token units + count + one page
query with every relation joined, however long the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Path as PathParam
from ninja.responses import Status as StatusResponse
from pydantic import ConfigDict

from layanan.accounts.actors import PUBLIC
from layanan.accounts.permissions import visible_units
from layanan.bookings.audience_models import AudienceDetail
from layanan.bookings.audience_services import (
    audience_close,
    audience_dispose,
    audience_reply,
    audience_request_create,
    audience_schedule,
    may,
)
from layanan.bookings.models import BookingDetail, BookingState, Resource
from layanan.bookings.services import (
    booking_approve,
    booking_cancel,
    booking_refuse,
    booking_request_create,
)
from layanan.cases.models import Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.core.errors import NotFound, NotPermitted
from layanan.core.scoping import public_endpoint

from . import selectors
from .auth import token_auth
from .complaint_schemas import Email, InputSchema, Moment, Phone, Text
from .complaints import (
    THROTTLED,
    FilingTokenThrottle,
    PublicRateThrottle,
    _local,
    _status_label,
    _unit_brief,
    public_caller,
)
from .models import ApiToken
from .pagination import PageParams, page_of, paginate
from .permissions import ensure_token_can, token_units
from .schemas import ErrorOut, ValidationErrorOut
from .throttling import public_throttle, token_throttle

router = Router(tags=["bookings"], auth=token_auth, throttle=[token_throttle])

submit_throttle = PublicRateThrottle("layanan_booking_submit", "API_THROTTLE_BOOKING", "20/h")
filing_token_throttle = FilingTokenThrottle()
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, **THROTTLED}
FILING_RESPONSES = {
    400: ValidationErrorOut | ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    **THROTTLED,
}

CaseId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="The case's `id`.")]


def _moment(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _scoped(request: HttpRequest, qs: QuerySet, prefix: str = "case__") -> QuerySet:
    """Cases of the units the token's user may see (and those handed to their division),
    narrowed by the token's unit limit."""
    units = visible_units(request.user, "case.view")
    qs = qs.filter(Q(**{f"{prefix}unit__in": units}) | Q(**{f"{prefix}assigned_unit__in": units}))
    limit = token_units(request.auth)
    if limit:
        within = Q(pk__in=[])
        for allowed in limit:
            within |= Q(**{f"{prefix}unit__path__startswith": allowed.path})
        qs = qs.filter(within)
    return qs


def _staff_only(request: HttpRequest, payload, names: tuple[str, ...]) -> bool:
    staff = isinstance(request.auth, ApiToken)
    sent = [
        n for n in names if n in payload.model_fields_set and getattr(payload, n) not in (None, "")
    ]
    if sent and not staff:
        raise NotPermitted(
            _("Only staff may set these fields: %(fields)s.") % {"fields": ", ".join(sent)},
            "staff_only_fields",
            extra={"fields": sent},
        )
    return staff


class ReasonIn(InputSchema):
    reason: Text = Field("", max_length=2000, description="Reason or note.")


# --- resources ----------------------------------------------------------------------------------


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    capacity: int | None
    location: str
    rules: str
    unit: dict


@router.get(
    "/resources",
    auth=None,
    throttle=[public_throttle],
    response={200: page_of(ResourceOut), 400: ValidationErrorOut, **THROTTLED},
    url_name="resource_list",
    summary="Facilities that take requests",
)
def resource_list(request: HttpRequest, page: Query[PageParams]):
    """The meeting rooms, halls, vehicles and equipment the public may request (as on the
    public form), with their capacity and rules of use. Public."""
    qs = (
        Resource.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "kind", "name", "pk")
    )
    return paginate(
        request,
        qs,
        page,
        lambda r: {
            "id": r.pk,
            "name": r.name,
            "kind": r.kind,
            "kind_label": str(r.get_kind_display()),
            "capacity": r.capacity,
            "location": r.location,
            "rules": r.rules,
            "unit": _unit_brief(r.unit),
        },
    )


# --- bookings -----------------------------------------------------------------------------------


class BookingIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "resource": 1,
                    "starts_at": "2026-02-02T09:00:00+07:00",
                    "ends_at": "2026-02-02T11:00:00+07:00",
                    "purpose": "Rapat koordinasi",
                    "participants": 15,
                    "organisation": "Dinas Pendidikan",
                    "name": "Siti Aminah",
                    "email": "siti@example.org",
                }
            ]
        },
    )
    resource: int = Field(ge=1, description="`id` of a resource (`GET /resources`).")
    starts_at: Moment
    ends_at: Moment
    purpose: Text = Field(max_length=2000)
    participants: int | None = Field(None, ge=1, le=100000)
    organisation: Text = Field("", max_length=200)
    name: Text = Field(max_length=150)
    email: Email = Field("", max_length=254)
    phone: Phone = Field("", max_length=40)
    channel: Channel | None = Field(None, description="Staff only (default for tokens: `api`).")


class CreatedOut(Schema):
    id: int
    number: str
    public_code: str
    status: str
    due_at: dt.datetime | None


class BookingOut(Schema):
    id: int
    number: str
    public_code: str | None = Field(
        None, description="The requester's tracking code: on one booking's answer, null in lists."
    )
    unit: dict
    resource: dict
    starts_at: dt.datetime
    ends_at: dt.datetime
    participants: int | None
    purpose: str
    organisation: str
    state: str
    state_label: str
    status: str
    status_label: str
    requester: dict | None
    received_at: dt.datetime
    due_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str
    url: str


@router.post(
    "/bookings",
    auth=[token_auth, public_caller],
    throttle=[submit_throttle, filing_token_throttle],
    response={201: CreatedOut, **FILING_RESPONSES},
    url_name="booking_create",
    summary="Request a facility",
    openapi_extra={"security": [{}]},
)
@public_endpoint("filing only creates; staff tokens are checked by the service")
def booking_create(request: HttpRequest, payload: BookingIn):
    """Request a facility for a time range. **No token is needed** (as on the public form);
    the public's requests come through `web`. With a staff token (right to record cases in
    the resource's unit) `channel` may be set (default `api`); without one, `channel` is a 403
    `staff_only_fields`.

    Errors: 400 `ends_before_start`, `in_the_past`, `too_long`, `too_far_ahead`,
    `over_capacity`, `purpose_required`, `name_required`, `contact_required`, `inactive`;
    404 `unknown_resource`; 409 `slot_taken`; 429 `throttled`."""
    staff = _staff_only(request, payload, ("channel",))
    resource = Resource.objects.select_related("unit").filter(pk=payload.resource).first()
    if resource is None or (not resource.is_active and not staff):
        raise NotFound(_("There is no such facility."), "unknown_resource")
    if staff:
        ensure_token_can(request, "case.create", resource)
    case = booking_request_create(
        actor=request.user if staff else PUBLIC,
        resource=resource,
        starts_at=_moment(payload.starts_at),
        ends_at=_moment(payload.ends_at),
        purpose=payload.purpose,
        participants=payload.participants,
        organisation=payload.organisation,
        requester_name=payload.name,
        requester_email=payload.email,
        requester_phone=payload.phone,
        channel=(payload.channel or Channel.API) if staff else Channel.WEB,
    )
    return StatusResponse(201, _created(case))


def _created(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "public_code": format_public_code(case.public_code),
        "status": case.status,
        "due_at": _local(case.due_at),
    }


BOOKING_JOINS = (
    "case",
    "case__unit",
    "case__assigned_unit",
    "resource",
    "resource__unit",
    "decided_by",
)


def _bookings(request: HttpRequest) -> QuerySet[BookingDetail]:
    ensure_token_can(request, "api.use_staff")
    return _scoped(request, BookingDetail.objects.all()).select_related(*BOOKING_JOINS)


def _requester(case) -> dict:
    return {
        "name": case.requester_name,
        "email": case.requester_email,
        "phone": case.requester_phone,
        "organisation": case.requester_organisation,
    }


def _own_code(case, own: bool) -> str | None:
    """The requester's tracking code, on the case's own answer only: a list is read by others,
    and the code is the requester's secret (``null`` there)."""
    return format_public_code(case.public_code) if own else None


def booking_data(request: HttpRequest, b: BookingDetail, *, own: bool = True) -> dict:
    case = b.case
    return {
        "id": case.pk,
        "number": case.number,
        "public_code": _own_code(case, own),
        "unit": _unit_brief(case.unit),
        "resource": {"id": b.resource_id, "name": b.resource.name, "kind": b.resource.kind},
        "starts_at": _local(b.starts_at),
        "ends_at": _local(b.ends_at),
        "participants": b.participants,
        "purpose": b.purpose,
        "organisation": b.organisation,
        "state": b.state,
        "state_label": str(b.get_state_display()),
        "status": case.status,
        "status_label": _status_label(case.status),
        "requester": _requester(case),
        "received_at": _local(case.received_at),
        "due_at": _local(case.due_at),
        "decided_at": _local(b.decided_at),
        "decided_by": b.decided_by.get_username() if b.decided_by_id else None,
        "reason": b.reason,
        "url": request.build_absolute_uri(reverse("api:booking_detail", args=[case.pk])),
    }


class BookingFilters(Schema):
    state: BookingState | None = None
    resource: int | None = Field(None, ge=1)
    upcoming: bool | None = Field(None, description="true: not yet over.")


@router.get(
    "/bookings",
    response={200: page_of(BookingOut), 400: ValidationErrorOut, **READ_ERRORS},
    url_name="booking_list",
    summary="List the facility requests the token may see",
)
def booking_list(request: HttpRequest, page: Query[PageParams], filters: Query[BookingFilters]):
    """Facility requests of the units the token's user works in, soonest first. Filters:
    `state`, `resource`, `upcoming`."""
    qs = _bookings(request)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.resource:
        qs = qs.filter(resource_id=filters.resource)
    if filters.upcoming:
        qs = qs.filter(ends_at__gt=timezone.now())
    qs = qs.order_by("starts_at", "pk")
    return paginate(request, qs, page, lambda b: booking_data(request, b, own=False))


def _booking(request: HttpRequest, case_id: int) -> BookingDetail:
    booking = _bookings(request).filter(case_id=case_id).first()
    if booking is None:
        raise NotFound(_("There is no facility request with this id."), "unknown_booking")
    return booking


@router.get(
    "/bookings/{case_id}",
    response={200: BookingOut, 400: ValidationErrorOut, **READ_ERRORS},
    url_name="booking_detail",
    summary="One facility request",
)
def booking_detail(request: HttpRequest, case_id: CaseId):
    """A facility request the token may see; otherwise 404 `unknown_booking`."""
    return booking_data(request, _booking(request, case_id))


BOOKING_ACTION = {
    200: BookingOut,
    400: ValidationErrorOut | ErrorOut,
    **READ_ERRORS,
    409: ErrorOut,
}


def _booking_after(request, case_id):
    return booking_data(request, _booking(request, case_id))


@router.post(
    "/bookings/{case_id}/approve",
    response=BOOKING_ACTION,
    url_name="booking_approve",
    summary="Approve a facility request",
)
def booking_approve_endpoint(
    request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None
):
    """`requested` → `approved` (case answered); the requester is e-mailed. 409
    `booking_overlap` names the approved booking in the way; `invalid_transition`,
    `in_the_past`."""
    booking = _booking(request, case_id)
    ensure_token_can(request, "case.verify", booking.case)
    booking_approve(actor=request.user, case=booking.case, note=payload.reason if payload else "")
    return _booking_after(request, case_id)


@router.post(
    "/bookings/{case_id}/refuse",
    response=BOOKING_ACTION,
    url_name="booking_refuse",
    summary="Refuse a facility request",
)
def booking_refuse_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn):
    """`requested` → `refused` with a `reason` (required: 400 `reason_required`)."""
    booking = _booking(request, case_id)
    ensure_token_can(request, "case.verify", booking.case)
    booking_refuse(actor=request.user, case=booking.case, reason=payload.reason)
    return _booking_after(request, case_id)


@router.post(
    "/bookings/{case_id}/cancel",
    response=BOOKING_ACTION,
    url_name="booking_cancel",
    summary="Cancel a facility request or booking",
)
def booking_cancel_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None):
    """Withdraw a pending request or cancel an approved booking (which needs the right to
    close cases). 409 `invalid_transition` when refused or cancelled already."""
    booking = _booking(request, case_id)
    ensure_token_can(request, "case.work", booking.case)
    booking_cancel(actor=request.user, case=booking.case, reason=payload.reason if payload else "")
    return _booking_after(request, case_id)


# --- audiences ----------------------------------------------------------------------------------


class AudienceIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "unit": "biro-kesra",
                    "organisation": "Forum Pemuda Lintas Agama",
                    "topic": "Dialog kerukunan umat beragama",
                    "preferred_dates": ["2026-02-10", "2026-02-12"],
                    "participants": 12,
                    "name": "Yohanes Ahmad",
                    "email": "yohanes@example.org",
                }
            ]
        },
    )
    unit: Text = Field(max_length=80, description="Slug of the unit asked for the audience.")
    organisation: Text = Field(max_length=200)
    topic: Text = Field(max_length=3000)
    preferred_dates: list[dt.date] = Field(min_length=1, max_length=3)
    participants: int = Field(ge=1, le=500)
    official_requested: Text = Field("", max_length=200)
    name: Text = Field(max_length=150, description="Contact person.")
    email: Email = Field("", max_length=254)
    phone: Phone = Field("", max_length=40)
    # Staff only
    channel: Channel | None = Field(None, description="Staff only (default for tokens: `api`).")
    received_at: Moment | None = Field(None, description="Staff only; not in the future.")
    letter_number: Text | None = Field(None, max_length=100, description="Staff only.")
    letter_date: dt.date | None = Field(None, description="Staff only.")


class AudienceOut(Schema):
    id: int
    number: str
    public_code: str | None = Field(
        None, description="The requester's tracking code: on one request's answer, null in lists."
    )
    unit: dict
    status: str
    status_label: str
    channel: str
    organisation: str
    topic: str
    preferred_dates: list[dt.date]
    participants: int
    official_requested: str
    requester: dict | None
    received_at: dt.datetime
    due_at: dt.datetime | None
    assigned_unit: dict | None
    instruction: str
    disposed_at: dt.datetime | None
    schedule: dict | None
    reply_letter: dict | None
    actions: list[str]
    url: str


AUDIENCE_STAFF_FIELDS = ("channel", "received_at", "letter_number", "letter_date")


@router.post(
    "/audiences",
    auth=[token_auth, public_caller],
    throttle=[submit_throttle, filing_token_throttle],
    response={201: CreatedOut, **FILING_RESPONSES},
    url_name="audience_create",
    summary="Request an audience",
    openapi_extra={"security": [{}]},
)
@public_endpoint("filing only creates; staff tokens are checked by the service")
def audience_create(request: HttpRequest, payload: AudienceIn):
    """Ask a unit for an audience. **No token is needed** (channel `web`; the unit must publish
    an audience standard: 400 `unit_takes_no_audiences`). With a staff token (right to record
    cases in the unit) `channel`, `received_at`, `letter_number` and `letter_date` may be set;
    sent without one they are a 403 `staff_only_fields`.

    Errors: 400 `organisation_required`, `topic_required`, `name_required`,
    `contact_required`, `date_in_past`, `date_too_far_ahead`, `future_receipt`; 404
    `unknown_unit`; 429 `throttled`."""
    staff = _staff_only(request, payload, AUDIENCE_STAFF_FIELDS)
    unit = selectors.unit_by_slug(payload.unit)
    if staff:
        ensure_token_can(request, "case.create", unit)
    case = audience_request_create(
        actor=request.user if staff else PUBLIC,
        unit=unit,
        organisation=payload.organisation,
        topic=payload.topic,
        preferred_dates=payload.preferred_dates,
        participants=payload.participants,
        official_requested=payload.official_requested,
        requester_name=payload.name,
        requester_email=payload.email,
        requester_phone=payload.phone,
        channel=(payload.channel or Channel.API) if staff else Channel.WEB,
        received_at=_moment(payload.received_at) if staff else None,
        letter_number=(payload.letter_number or "") if staff else "",
        letter_date=payload.letter_date if staff else None,
    )
    return StatusResponse(201, _created(case))


AUDIENCE_JOINS = ("case", "case__unit", "case__assigned_unit")


def _audiences(request: HttpRequest) -> QuerySet[AudienceDetail]:
    ensure_token_can(request, "api.use_staff")
    return _scoped(request, AudienceDetail.objects.all()).select_related(*AUDIENCE_JOINS)


def audience_data(
    request: HttpRequest, d: AudienceDetail, *, actions: bool = False, own: bool = True
) -> dict:
    case = d.case
    return {
        "id": case.pk,
        "number": case.number,
        "public_code": _own_code(case, own),
        "unit": _unit_brief(case.unit),
        "status": case.status,
        "status_label": _status_label(case.status),
        "channel": case.channel,
        "organisation": d.organisation,
        "topic": d.topic,
        "preferred_dates": d.preferred_dates,
        "participants": d.participants,
        "official_requested": d.official_requested,
        "requester": _requester(case),
        "received_at": _local(case.received_at),
        "due_at": _local(case.due_at),
        "assigned_unit": _unit_brief(case.assigned_unit),
        "instruction": d.instruction,
        "disposed_at": _local(d.disposed_at),
        "schedule": (
            {
                "starts_at": _local(d.schedule_starts_at),
                "place": d.schedule_place,
                "official": d.schedule_official,
            }
            if d.schedule_starts_at
            else None
        ),
        "reply_letter": (
            {"number": d.reply_number, "date": d.reply_date.isoformat()} if d.reply_number else None
        ),
        "actions": (
            [a for a in ("dispose", "schedule", "reply", "close") if may(request.user, a, case)]
            if actions
            else []
        ),
        "url": request.build_absolute_uri(reverse("api:audience_detail", args=[case.pk])),
    }


class AudienceFilters(Schema):
    status: Status | None = None


@router.get(
    "/audiences",
    response={200: page_of(AudienceOut), 400: ValidationErrorOut, **READ_ERRORS},
    url_name="audience_list",
    summary="List the audience requests the token may see",
)
def audience_list(request: HttpRequest, page: Query[PageParams], filters: Query[AudienceFilters]):
    """Audience requests of the units the token's user works in, plus those handed to their
    division; newest first. Filter: `status`. (`actions` is filled by the detail only.)"""
    qs = _audiences(request)
    if filters.status:
        qs = qs.filter(case__status=filters.status)
    qs = qs.order_by("-case__received_at", "-pk")
    return paginate(request, qs, page, lambda d: audience_data(request, d, own=False))


def _audience(request: HttpRequest, case_id: int) -> AudienceDetail:
    detail = _audiences(request).filter(case_id=case_id).first()
    if detail is None:
        raise NotFound(_("There is no audience request with this id."), "unknown_audience")
    return detail


@router.get(
    "/audiences/{case_id}",
    response={200: AudienceOut, 400: ValidationErrorOut, **READ_ERRORS},
    url_name="audience_detail",
    summary="One audience request",
)
def audience_detail(request: HttpRequest, case_id: CaseId):
    """An audience request the token may see (404 `unknown_audience` otherwise), with the
    `actions` the caller may take now."""
    return audience_data(request, _audience(request, case_id), actions=True)


AUDIENCE_ACTION = {
    200: AudienceOut,
    400: ValidationErrorOut | ErrorOut,
    **READ_ERRORS,
    409: ErrorOut,
}


class DispositionIn(InputSchema):
    division: Text = Field(max_length=80, description="Slug of the division (Bagian).")
    instruction: Text = Field(max_length=2000)


class ScheduleIn(InputSchema):
    starts_at: Moment
    place: Text = Field(max_length=200)
    official: Text = Field(max_length=200, description="Who receives the audience.")
    note: Text = Field("", max_length=2000, description="Internal note.")


class ReplyIn(InputSchema):
    date: dt.date | None = Field(None, description="The letter's date; default today.")
    note: Text = Field("", max_length=2000)


def _audience_after(request, case_id):
    return audience_data(request, _audience(request, case_id), actions=True)


def _acting(request, case_id, action: str) -> AudienceDetail:
    detail = _audience(request, case_id)
    ensure_token_can(request, action, detail.case)
    return detail


@router.post(
    "/audiences/{case_id}/disposition",
    response=AUDIENCE_ACTION,
    url_name="audience_disposition",
    summary="Hand an audience request to a division",
)
def audience_disposition(request: HttpRequest, case_id: CaseId, payload: DispositionIn):
    """The head of unit hands the request to a division with an instruction (`received` →
    `verified`). 400 `instruction_required`, `foreign_division`; 404 `unknown_unit`."""
    detail = _acting(request, case_id, "case.dispose")
    division = selectors.unit_by_slug(payload.division)
    audience_dispose(
        actor=request.user, case=detail.case, division=division, instruction=payload.instruction
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/schedule",
    response=AUDIENCE_ACTION,
    url_name="audience_schedule",
    summary="Propose the audience's schedule",
)
def audience_schedule_endpoint(request: HttpRequest, case_id: CaseId, payload: ScheduleIn):
    """The division proposes time, place and official (`verified` → `in_progress`; may be
    changed until the reply). 400 `in_the_past`, `place_required`, `official_required`; 409
    `invalid_transition`."""
    detail = _acting(request, case_id, "case.work")
    audience_schedule(
        actor=request.user,
        case=detail.case,
        starts_at=_moment(payload.starts_at),
        place=payload.place,
        official=payload.official,
        note=payload.note,
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/reply",
    response=AUDIENCE_ACTION,
    url_name="audience_reply",
    summary="Issue the numbered reply letter",
)
def audience_reply_endpoint(request: HttpRequest, case_id: CaseId, payload: ReplyIn | None = None):
    """Issue the reply letter from the unit's template (numbered gaplessly per unit and
    year), e-mail the requester the schedule (`in_progress` → `answered`). 409
    `schedule_required`, `already_replied`."""
    detail = _acting(request, case_id, "case.answer")
    audience_reply(
        actor=request.user,
        case=detail.case,
        on=payload.date if payload else None,
        note=payload.note if payload else "",
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/close",
    response=AUDIENCE_ACTION,
    url_name="audience_close",
    summary="Close an answered audience request",
)
def audience_close_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None):
    """`answered` → `closed`. 409 `invalid_transition` from any other status."""
    detail = _acting(request, case_id, "case.close")
    audience_close(actor=request.user, case=detail.case, note=payload.reason if payload else "")
    return _audience_after(request, case_id)
