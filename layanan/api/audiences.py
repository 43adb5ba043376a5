"""Audience requests: asking a unit's head to receive a delegation.

- ``POST /audiences``: the public (no token, channel ``web``, rate-limited per address in the
  one budget of facility requests) and staff tokens (the right to record cases in the unit; they
  may set the channel, the real time of receipt and the request letter).
- ``GET /audiences`` (+ ``/{id}``) and the actions: staff tokens. A request the token cannot
  see — another unit's, or outside the token's unit limit — is a 404 ``unknown_audience``, the
  same answer as an id that does not exist; one it can see but not act on is a 403. Actions go
  through ``audiences.services``, which checks the user's rights and writes the
  timeline.

Query shapes (pinned in tests): the list is token + memberships + token units + count + one page
query with every relation joined, however long the page. Operation ids are those of the module
this one was split from (``common.legacy_operation_id``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as StatusResponse
from pydantic import ConfigDict

from layanan.audiences.models import AudienceDetail
from layanan.audiences.selectors import audiences_visible_to
from layanan.audiences.services import (
    audience_close,
    audience_dispose,
    audience_reply,
    audience_request_create,
    audience_schedule,
    may,
)
from layanan.cases.models import Channel, Status
from layanan.core.phones import Phone
from layanan.core.scoping import public_endpoint

from . import selectors
from .auth import public_caller, token_auth
from .common import (
    FILING_RESPONSES,
    READ_ERRORS,
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
from .throttling import booking_submit_throttle, filing_token_throttle, token_throttle

router = Router(tags=["bookings"], auth=token_auth, throttle=[token_throttle])


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
    throttle=[booking_submit_throttle, filing_token_throttle],
    response={201: CreatedOut, **FILING_RESPONSES},
    url_name="audience_create",
    summary="Request an audience",
    openapi_extra={"security": [{}]},
    operation_id=legacy_operation_id("audience_create"),
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
    staff = staff_filing(request, payload, AUDIENCE_STAFF_FIELDS)
    unit = selectors.unit_by_slug(payload.unit)
    if staff:
        ensure_token_can(request, "case.create", unit)
    case = audience_request_create(
        actor=filing_actor(request, staff),
        unit=unit,
        organisation=payload.organisation,
        topic=payload.topic,
        preferred_dates=payload.preferred_dates,
        participants=payload.participants,
        official_requested=payload.official_requested,
        requester_name=payload.name,
        requester_email=payload.email,
        requester_phone=payload.phone,
        channel=filing_channel(payload.channel, staff),
        received_at=aware(payload.received_at) if staff else None,
        letter_number=(payload.letter_number or "") if staff else "",
        letter_date=payload.letter_date if staff else None,
    )
    return StatusResponse(201, created_data(case))


AUDIENCE_JOINS = ("case", "case__unit", "case__assigned_unit")


def _audiences(request: HttpRequest) -> QuerySet[AudienceDetail]:
    return token_case_rows(request, audiences_visible_to(request.user), AUDIENCE_JOINS)


def audience_data(
    request: HttpRequest, d: AudienceDetail, *, actions: bool = False, own: bool = True
) -> dict:
    case = d.case
    return {
        **case_fields(request, case, own=own, url_name="api:audience_detail"),
        "channel": case.channel,
        "organisation": d.organisation,
        "topic": d.topic,
        "preferred_dates": d.preferred_dates,
        "participants": d.participants,
        "official_requested": d.official_requested,
        "assigned_unit": unit_brief(case.assigned_unit),
        "instruction": d.instruction,
        "disposed_at": local(d.disposed_at),
        "schedule": (
            {
                "starts_at": local(d.schedule_starts_at),
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
    }


class AudienceFilters(Schema):
    status: Status | None = None


@router.get(
    "/audiences",
    response={200: page_of(AudienceOut), 400: ValidationErrorOut, **READ_ERRORS},
    url_name="audience_list",
    summary="List the audience requests the token may see",
    operation_id=legacy_operation_id("audience_list"),
)
def audience_list(request: HttpRequest, page: Query[PageParams], filters: Query[AudienceFilters]):
    """Audience requests of the units the token's user works in, plus those handed to their
    division; newest first. Filter: `status`. (`actions` is filled by the detail only.)"""
    qs = _audiences(request)
    if filters.status:
        qs = qs.filter(case__status=filters.status)
    qs = qs.order_by("-case__received_at", "-pk")
    return paginate(request, qs, page, lambda d: audience_data(request, d, own=False))


def _audience(request: HttpRequest, case_id: int, action: str | None = None) -> AudienceDetail:
    """The request if the token may see it (else 404 ``unknown_audience``) and, with ``action``,
    act on it (else 403)."""
    return case_row(
        request,
        _audiences(request),
        case_id,
        missing=_("There is no audience request with this id."),
        code="unknown_audience",
        action=action,
    )


@router.get(
    "/audiences/{case_id}",
    response={200: AudienceOut, 400: ValidationErrorOut, **READ_ERRORS},
    url_name="audience_detail",
    summary="One audience request",
    operation_id=legacy_operation_id("audience_detail"),
)
def audience_detail(request: HttpRequest, case_id: CaseId):
    """An audience request the token may see (404 `unknown_audience` otherwise), with the
    `actions` the caller may take now."""
    return audience_data(request, _audience(request, case_id), actions=True)


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


@router.post(
    "/audiences/{case_id}/disposition",
    response=action_responses(AudienceOut),
    url_name="audience_disposition",
    summary="Hand an audience request to a division",
    operation_id=legacy_operation_id("audience_disposition"),
)
def audience_disposition(request: HttpRequest, case_id: CaseId, payload: DispositionIn):
    """The head of unit hands the request to a division with an instruction (`received` →
    `verified`). 400 `instruction_required`, `foreign_division`; 404 `unknown_unit`."""
    detail = _audience(request, case_id, "case.dispose")
    division = selectors.unit_by_slug(payload.division)
    audience_dispose(
        actor=request.user, case=detail.case, division=division, instruction=payload.instruction
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/schedule",
    response=action_responses(AudienceOut),
    url_name="audience_schedule",
    summary="Propose the audience's schedule",
    operation_id=legacy_operation_id("audience_schedule_endpoint"),
)
def audience_schedule_endpoint(request: HttpRequest, case_id: CaseId, payload: ScheduleIn):
    """The division proposes time, place and official (`verified` → `in_progress`; may be
    changed until the reply). 400 `in_the_past`, `place_required`, `official_required`; 409
    `invalid_transition`."""
    detail = _audience(request, case_id, "case.work")
    audience_schedule(
        actor=request.user,
        case=detail.case,
        starts_at=aware(payload.starts_at),
        place=payload.place,
        official=payload.official,
        note=payload.note,
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/reply",
    response=action_responses(AudienceOut),
    url_name="audience_reply",
    summary="Issue the numbered reply letter",
    operation_id=legacy_operation_id("audience_reply_endpoint"),
)
def audience_reply_endpoint(request: HttpRequest, case_id: CaseId, payload: ReplyIn | None = None):
    """Issue the reply letter from the unit's template (numbered gaplessly per unit and
    year), e-mail the requester the schedule (`in_progress` → `answered`). 409
    `schedule_required`, `already_replied`."""
    detail = _audience(request, case_id, "case.answer")
    audience_reply(
        actor=request.user,
        case=detail.case,
        on=payload.date if payload else None,
        note=payload.note if payload else "",
    )
    return _audience_after(request, case_id)


@router.post(
    "/audiences/{case_id}/close",
    response=action_responses(AudienceOut),
    url_name="audience_close",
    summary="Close an answered audience request",
    operation_id=legacy_operation_id("audience_close_endpoint"),
)
def audience_close_endpoint(request: HttpRequest, case_id: CaseId, payload: ReasonIn | None = None):
    """`answered` → `closed`. 409 `invalid_transition` from any other status."""
    detail = _audience(request, case_id, "case.close")
    audience_close(actor=request.user, case=detail.case, note=payload.reason if payload else "")
    return _audience_after(request, case_id)
