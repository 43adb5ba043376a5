"""Visits (guest book and queue): register, list, and the desk's actions — staff tokens only.

- ``POST /visits``: register a guest (``case.create`` on the unit). Channel ``face_to_face``
  (default) or ``kiosk``.
- ``GET /visits``: the visits of the units the token's user may see (and those routed to their
  division), narrowed by the token's unit limit; filters and pagination as every list.
- ``POST /visits/{id}/call|serve|route|finish``: the desk's steps, through
  ``layanan.visits.services`` (every step writes the case timeline in its transaction).

A visit the token cannot see is a 404 ``unknown_visit``, like an id that does not exist; one it
can see but not act on is a 403. Query shape of the list (pinned in tests): token, memberships,
token units, count, one page query — however long the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Path as PathParam
from ninja.responses import Status as StatusResponse
from pydantic import BeforeValidator, ConfigDict

from layanan.accounts.permissions import can, visible_units
from layanan.cases.models import Channel, Status
from layanan.core.errors import NotFound
from layanan.core.phones import Phone
from layanan.visits.models import VisitDetail
from layanan.visits.selectors import VISIT_JOINS
from layanan.visits.services import (
    DESK_MAX,
    NAME_MAX,
    ORIGIN_MAX,
    OUTCOME_MAX,
    PURPOSE_MAX,
    visit_call,
    visit_finish,
    visit_register,
    visit_route,
    visit_serve,
    walk_in_services,
)

from . import selectors
from .auth import token_auth
from .common import local, unit_brief
from .pagination import PageParams, page_of, paginate
from .permissions import ensure_token_can, within_token_units
from .schemas import ErrorOut, Text, ValidationErrorOut
from .throttling import token_throttle

router = Router(tags=["visits"], auth=token_auth, throttle=[token_throttle])

VisitId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="The visit's `id`.")]
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}
ACTION_RESPONSES = {400: ValidationErrorOut, **READ_ERRORS, 409: ErrorOut}


def _iso_day(value: object) -> object:
    """A day is ``YYYY-MM-DD`` text, never a number (pydantic would read one as a Unix time)."""
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class VisitIn(InputSchema):
    unit: Text = Field(max_length=80, description="Slug of the unit visited.")
    service: Text | None = Field(
        None, max_length=100, description="Slug of a published walk-in service of the unit."
    )
    name: Text = Field(max_length=NAME_MAX)
    phone: Phone = Field(max_length=40, description="Finds a returning visitor of the unit.")
    origin: Text = Field("", max_length=ORIGIN_MAX, description="Origin / institution.")
    purpose: Text = Field("", max_length=PURPOSE_MAX, description="Required without a service.")
    requirements: list[Text] = Field(
        default_factory=list,
        max_length=50,
        description="Items of the standard's requirements the guest presented (exact text).",
    )
    channel: Literal["face_to_face", "kiosk"] = "face_to_face"


class CallIn(InputSchema):
    desk: Text = Field(max_length=DESK_MAX, description="The desk the ticket is called to.")


class ServeIn(InputSchema):
    desk: Text = Field("", max_length=DESK_MAX)


class RouteIn(InputSchema):
    division: Text = Field(max_length=80, description="Slug of a division (Bagian) of the unit.")
    note: Text = Field("", max_length=2000)


class FinishIn(InputSchema):
    outcome: Text = Field(max_length=OUTCOME_MAX)


class UnitBrief(Schema):
    slug: str
    name: str


class VisitOut(Schema):
    id: int
    number: str
    kind: str
    unit: UnitBrief
    service: str | None
    channel: str
    status: str
    status_label: str
    ticket: str
    queue_day: dt.date
    name: str
    origin: str
    purpose: str
    requirements_checked: list[str]
    arrived_at: dt.datetime
    called_at: dt.datetime | None
    served_at: dt.datetime | None
    finished_at: dt.datetime | None
    desk: str
    admin_minutes: float | None = Field(
        description="Arrival → first service; while waiting, arrival → now."
    )
    admin_limit_minutes: float
    admin_time_exceeded: bool
    due_at: dt.datetime | None
    routed_to: UnitBrief | None
    outcome: str


class VisitFilters(Schema):
    unit: str | None = Field(None, max_length=80, description="Unit slug (and the units below).")
    service: str | None = Field(None, max_length=100, description="Service slug.")
    status: Status | None = None
    day: Day | None = Field(None, description="Queue day (YYYY-MM-DD).")
    waiting: bool | None = Field(None, description="true: open and not served yet.")


def visit_data(visit: VisitDetail, now) -> dict:
    case = visit.case
    spent = visit.admin_time(now)
    return {
        "id": visit.pk,
        "number": case.number,
        "kind": case.kind,
        "unit": unit_brief(case.unit),
        "service": visit.service.slug if visit.service_id else None,
        "channel": case.channel,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "ticket": visit.ticket,
        "queue_day": visit.queue_day,
        "name": case.requester_name,
        "origin": visit.origin,
        "purpose": visit.purpose,
        "requirements_checked": visit.requirements_checked,
        "arrived_at": local(visit.arrived_at),
        "called_at": local(visit.called_at),
        "served_at": local(visit.served_at),
        "finished_at": local(visit.finished_at),
        "desk": visit.desk,
        "admin_minutes": round(spent.total_seconds() / 60, 1) if spent is not None else None,
        "admin_limit_minutes": visit.admin_limit().total_seconds() / 60,
        "admin_time_exceeded": visit.admin_time_exceeded(now),
        "due_at": local(case.due_at),
        "routed_to": unit_brief(visit.routed_to),
        "outcome": visit.outcome,
    }


def visible_visits(request: HttpRequest) -> QuerySet[VisitDetail]:
    units = visible_units(request.user, "case.view")
    visits = VisitDetail.objects.filter(Q(case__unit__in=units) | Q(case__assigned_unit__in=units))
    return within_token_units(request.auth, visits, "case__").select_related(*VISIT_JOINS)


def visit_for(request: HttpRequest, visit_id: int, action: str | None = None) -> VisitDetail:
    ensure_token_can(request, "api.use_staff")
    visit = visible_visits(request).filter(pk=visit_id).first()
    if visit is None or not can(request.user, "case.view", visit.case):
        raise NotFound(_("There is no visit with this id."), "unknown_visit")
    if action:
        ensure_token_can(request, action, visit.case)
    return visit


def _fresh(visit_id: int) -> dict:
    visit = VisitDetail.objects.select_related(*VISIT_JOINS).get(pk=visit_id)
    return visit_data(visit, timezone.now())


@router.post(
    "/visits",
    response={201: VisitOut, 400: ValidationErrorOut, **READ_ERRORS, 409: ErrorOut},
    url_name="visit_create",
    summary="Register a guest and draw a queue ticket",
)
def visit_create(request: HttpRequest, payload: VisitIn):
    """Register a guest of a unit: a case (`consultation` for a consultation service, else
    `visit`) with its number, the due time of the standard's administration time and a queue
    ticket per service and day. A returning visitor is found by phone within the unit.

    Errors: 400 `invalid_phone`, `name_required`, `purpose_required`, `unknown_requirement`,
    `unknown_service`; 403 `permission_denied`, `token_out_of_scope`; 404 `unknown_unit`."""
    unit = selectors.unit_by_slug(payload.unit)
    ensure_token_can(request, "case.create", unit)
    standard = None
    if payload.service:
        standard = next((s for s in walk_in_services(unit) if s.slug == payload.service), None)
        if standard is None:
            raise NotFound(
                _("There is no published service standard “%(slug)s”.") % {"slug": payload.service},
                "unknown_service",
            )
    case = visit_register(
        actor=request.user,
        unit=unit,
        standard=standard,
        name=payload.name,
        phone=payload.phone,
        origin=payload.origin,
        purpose=payload.purpose,
        requirements=payload.requirements,
        channel=Channel(payload.channel),
    )
    return StatusResponse(201, _fresh(case.pk))


@router.get(
    "/visits",
    response={200: page_of(VisitOut), 400: ValidationErrorOut, **READ_ERRORS},
    url_name="visit_list",
    summary="List the visits the token may see",
)
def visit_list(request: HttpRequest, page: Query[PageParams], filters: Query[VisitFilters]):
    """Visits of the units the token's user works in (and below), plus those routed to their
    division; newest day first, then in queue order. Filters: `unit` (unknown: 404
    `unknown_unit`), `service`, `status`, `day`, `waiting`."""
    ensure_token_can(request, "api.use_staff")
    visits = visible_visits(request)
    if filters.unit:
        scope = selectors.unit_by_slug(filters.unit)
        visits = visits.filter(case__unit__path__startswith=scope.path)
    if filters.service:
        visits = visits.filter(service__slug=filters.service)
    if filters.status:
        visits = visits.filter(case__status=filters.status)
    if filters.day:
        visits = visits.filter(queue_day=filters.day)
    if filters.waiting is True:
        visits = visits.filter(served_at__isnull=True, finished_at__isnull=True)
    elif filters.waiting is False:
        visits = visits.exclude(served_at__isnull=True, finished_at__isnull=True)
    visits = visits.order_by("-queue_day", "arrived_at", "pk")
    now = timezone.now()
    return paginate(request, visits, page, lambda visit: visit_data(visit, now))


@router.post(
    "/visits/{visit_id}/call",
    response={200: VisitOut, **ACTION_RESPONSES},
    url_name="visit_call",
    summary="Call the ticket to a desk",
)
def visit_call_endpoint(request: HttpRequest, visit_id: VisitId, payload: CallIn):
    """Shows the ticket and the desk on the display (no status change; recorded)."""
    visit = visit_for(request, visit_id, "case.work")
    visit_call(actor=request.user, case=visit.case, desk=payload.desk)
    return _fresh(visit.pk)


@router.post(
    "/visits/{visit_id}/serve",
    response={200: VisitOut, **ACTION_RESPONSES},
    url_name="visit_serve",
    summary="Start serving the guest (ends the administration time)",
)
def visit_serve_endpoint(request: HttpRequest, visit_id: VisitId, payload: ServeIn | None = None):
    """The case moves to `in_progress`; `served_at` ends the administration time."""
    visit = visit_for(request, visit_id, "case.work")
    visit_serve(actor=request.user, case=visit.case, desk=payload.desk if payload else "")
    return _fresh(visit.pk)


@router.post(
    "/visits/{visit_id}/route",
    response={200: VisitOut, **ACTION_RESPONSES},
    url_name="visit_route",
    summary="Route the consultation to a division",
)
def visit_route_endpoint(request: HttpRequest, visit_id: VisitId, payload: RouteIn):
    """Errors: 400 `foreign_division` (not a division of the visit's unit); 404 `unknown_unit`."""
    visit = visit_for(request, visit_id, "visit.route")
    division = selectors.unit_by_slug(payload.division)
    visit_route(actor=request.user, case=visit.case, division=division, note=payload.note)
    return _fresh(visit.pk)


@router.post(
    "/visits/{visit_id}/finish",
    response={200: VisitOut, **ACTION_RESPONSES},
    url_name="visit_finish",
    summary="Record the outcome and close the visit",
)
def visit_finish_endpoint(request: HttpRequest, visit_id: VisitId, payload: FinishIn):
    """Errors: 400 `outcome_required`; 409 `not_served`, `visit_finished`."""
    visit = visit_for(request, visit_id, "visit.finish")
    visit_finish(actor=request.user, case=visit.case, outcome=payload.outcome)
    return _fresh(visit.pk)
