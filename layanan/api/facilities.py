"""Facilities and facility requests (meeting rooms, halls, vehicles, equipment).

- ``GET /resources``: public, the facilities that take requests (as on the public form).
- ``POST /bookings``: the public (no token, channel ``web``, rate-limited per address like
  complaints) and staff tokens (the right to record cases in the resource's unit; they may set
  the channel).
- ``GET /bookings`` (+ ``/{id}``) and the actions: staff tokens. A request the token cannot
  see — another unit's, or outside the token's unit limit — is a 404 ``unknown_booking``, the
  same answer as an id that does not exist; one it can see but not act on is a 403. Actions go
  through ``facilities.services``, which checks the user's rights and writes the timeline.

Query shapes (pinned in tests): the list is token + memberships + token units + count + one page
query with every relation joined, however long the page. Operation ids are those of the module
this one was split from (``common.legacy_operation_id``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as StatusResponse
from pydantic import ConfigDict

from layanan.cases.models import Channel
from layanan.core.errors import NotFound
from layanan.core.phones import Phone
from layanan.core.scoping import public_endpoint
from layanan.facilities.models import BookingDetail, BookingState, Resource
from layanan.facilities.selectors import bookings_visible_to
from layanan.facilities.services import (
    booking_approve,
    booking_cancel,
    booking_refuse,
    booking_request_create,
)

from .auth import public_caller, token_auth
from .common import (
    FILING_RESPONSES,
    READ_ERRORS,
    THROTTLED,
    CaseId,
    CreatedOut,
    ReasonIn,
    action_responses,
    aware,
    case_fields,
    case_row,
    created_data,
    filing_actor,
    filing_channel,
    legacy_operation_id,
    local,
    staff_filing,
    token_case_rows,
    unit_brief,
)
from .pagination import PageParams, page_of, paginate
from .permissions import ensure_token_can
from .schemas import Email, InputSchema, Moment, Text, ValidationErrorOut
from .throttling import (
    booking_submit_throttle,
    filing_token_throttle,
    public_throttle,
    token_throttle,
)

router = Router(tags=["bookings"], auth=token_auth, throttle=[token_throttle])


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
    operation_id=legacy_operation_id("resource_list"),
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
            "unit": unit_brief(r.unit),
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
    throttle=[booking_submit_throttle, filing_token_throttle],
    response={201: CreatedOut, **FILING_RESPONSES},
    url_name="booking_create",
    summary="Request a facility",
    openapi_extra={"security": [{}]},
    operation_id=legacy_operation_id("booking_create"),
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
    staff = staff_filing(request, payload, ("channel",))
    resource = Resource.objects.select_related("unit").filter(pk=payload.resource).first()
    if resource is None or (not resource.is_active and not staff):
        raise NotFound(_("There is no such facility."), "unknown_resource")
    if staff:
        ensure_token_can(request, "case.create", resource)
    case = booking_request_create(
        actor=filing_actor(request, staff),
        resource=resource,
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        purpose=payload.purpose,
        participants=payload.participants,
        organisation=payload.organisation,
        requester_name=payload.name,
        requester_email=payload.email,
        requester_phone=payload.phone,
        channel=filing_channel(payload.channel, staff),
    )
    return StatusResponse(201, created_data(case))


BOOKING_JOINS = (
    "case",
    "case__unit",
    "case__assigned_unit",
    "resource",
    "resource__unit",
    "decided_by",
)


def _bookings(request: HttpRequest) -> QuerySet[BookingDetail]:
    return token_case_rows(request, bookings_visible_to(request.user), BOOKING_JOINS)


def booking_data(request: HttpRequest, b: BookingDetail, *, own: bool = True) -> dict:
    return {
        **case_fields(request, b.case, own=own, url_name="api:booking_detail"),
        "resource": {"id": b.resource_id, "name": b.resource.name, "kind": b.resource.kind},
        "starts_at": local(b.starts_at),
        "ends_at": local(b.ends_at),
        "participants": b.participants,
        "purpose": b.purpose,
        "organisation": b.organisation,
        "state": b.state,
        "state_label": str(b.get_state_display()),
        "decided_at": local(b.decided_at),
        "decided_by": b.decided_by.get_username() if b.decided_by_id else None,
        "reason": b.reason,
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
    operation_id=legacy_operation_id("booking_list"),
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


def _booking(request: HttpRequest, case_id: int, action: str | None = None) -> BookingDetail:
    """The request if the token may see it (else 404 ``unknown_booking``) and, with ``action``,
    act on it (else 403)."""
    return case_row(
        request,
        _bookings(request),
        case_id,
        missing=_("There is no facility request with this id."),
        code="unknown_booking",
        action=action,
    )


@router.get(
    "/bookings/{case_id}",
    response={200: BookingOut, 400: ValidationErrorOut, **READ_ERRORS},
    url_name="booking_detail",
    summary="One facility request",
    operation_id=legacy_operation_id("booking_detail"),
)
def booking_detail(request: HttpRequest, case_id: CaseId):
    """A facility request the token may see; otherwise 404 `unknown_booking`."""
    return booking_data(request, _booking(request, case_id))


def _booking_after(request, case_id):
    return booking_data(request, _booking(request, case_id))


@router.post(
    "/bookings/{case_id}/approve",
    response=action_responses(BookingOut),
    url_name="booking_approve",
    summary="Approve a facility request",
    operation_id=legacy_operation_id("booking_approve_endpoint"),
)
def booking_approve_endpoint(
    request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None
):
    """`requested` → `approved` (case answered); the requester is e-mailed. 409
    `booking_overlap` names the approved booking in the way; `invalid_transition`,
    `in_the_past`."""
    booking = _booking(request, case_id, "case.verify")
    booking_approve(actor=request.user, case=booking.case, note=payload.reason if payload else "")
    return _booking_after(request, case_id)


@router.post(
    "/bookings/{case_id}/refuse",
    response=action_responses(BookingOut),
    url_name="booking_refuse",
    summary="Refuse a facility request",
    operation_id=legacy_operation_id("booking_refuse_endpoint"),
)
def booking_refuse_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn):
    """`requested` → `refused` with a `reason` (required: 400 `reason_required`)."""
    booking = _booking(request, case_id, "case.verify")
    booking_refuse(actor=request.user, case=booking.case, reason=payload.reason)
    return _booking_after(request, case_id)


@router.post(
    "/bookings/{case_id}/cancel",
    response=action_responses(BookingOut),
    url_name="booking_cancel",
    summary="Cancel a facility request or booking",
    operation_id=legacy_operation_id("booking_cancel_endpoint"),
)
def booking_cancel_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None):
    """Withdraw a pending request or cancel an approved booking (which needs the right to
    close cases). 409 `invalid_transition` when refused or cancelled already."""
    booking = _booking(request, case_id, "case.work")
    booking_cancel(actor=request.user, case=booking.case, reason=payload.reason if payload else "")
    return _booking_after(request, case_id)
