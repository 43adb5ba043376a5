"""What the case endpoints (complaints, facility requests, audience requests) share, written
once: the error answers they declare, how they show a moment, a unit and a requester, the check
that the public sent no staff-only field, the shapes of a filing's answer and of a reason, and
how a request's rows are found for a staff token (all it may see, or one by its case's id).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja import Path as PathParam
from pydantic import BaseModel

from layanan.accounts import actors
from layanan.cases.models import Case, Channel
from layanan.cases.numbering import format_public_code
from layanan.cases.timeline import status_label
from layanan.core.errors import NotFound, NotPermitted
from layanan.core.models import Unit

from .models import ApiToken
from .permissions import ensure_token_can, within_token_units
from .schemas import ErrorOut, InputSchema, Text, ValidationErrorOut

THROTTLED = {429: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, **THROTTLED}
# A 400 is request validation (with `errors`), a body that is not JSON, or a domain error.
BAD_REQUEST = ValidationErrorOut | ErrorOut
FILING_RESPONSES = {
    400: BAD_REQUEST,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    **THROTTLED,
}

CaseId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="The case's `id`.")]


def action_responses(out: type[Schema]) -> dict:
    """The answers of an action on one case: the case as it is now, or an error."""
    return {200: out, 400: BAD_REQUEST, **READ_ERRORS, 409: ErrorOut}


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment in the office's time zone (as the pages show it)."""
    return timezone.localtime(moment) if moment is not None else None


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment sent without an offset, read as office time."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def unit_brief(unit: Unit | None) -> dict | None:
    return {"slug": unit.slug, "name": unit.name} if unit is not None else None


def staff_filing(request: HttpRequest, payload: BaseModel, staff_only: tuple[str, ...]) -> bool:
    """True for a filing with a staff token. Without one, any of the ``staff_only`` fields sent
    (with a value) is refused — a 403 ``staff_only_fields`` naming them — never silently
    dropped."""
    staff = isinstance(request.auth, ApiToken)
    sent = [
        name
        for name in staff_only
        if name in payload.model_fields_set and getattr(payload, name) not in (None, "")
    ]
    if sent and not staff:
        raise NotPermitted(
            _("Only staff may set these fields: %(fields)s.") % {"fields": ", ".join(sent)},
            "staff_only_fields",
            extra={"fields": sent},
        )
    return staff


def filing_actor(request: HttpRequest, staff: bool):
    """Who files: the staff token's user, or the public."""
    return request.user if staff else actors.PUBLIC


def filing_channel(sent: str | None, staff: bool) -> str:
    """How a filing came: as a staff token says (default ``api``); ``web`` for the public."""
    return (sent or Channel.API) if staff else Channel.WEB


# --- facility and audience requests ---------------------------------------------------------


def legacy_operation_id(view_name: str) -> str:
    """The OpenAPI operation id an endpoint of facility or audience requests had while both
    lived in one module (``api/bookings.py``): clients generated from the schema name their
    methods after it, so splitting the module renames nothing."""
    return f"layanan_api_bookings_{view_name}"


class ReasonIn(InputSchema):
    reason: Text = Field("", max_length=2000, description="Reason or note.")


class CreatedOut(Schema):
    id: int
    number: str
    public_code: str
    status: str
    due_at: dt.datetime | None


def created_data(case: Case) -> dict:
    """The answer to a filing: the new case's number and the requester's tracking code."""
    return {
        "id": case.pk,
        "number": case.number,
        "public_code": format_public_code(case.public_code),
        "status": case.status,
        "due_at": local(case.due_at),
    }


def requester_data(case: Case) -> dict:
    return {
        "name": case.requester_name,
        "email": case.requester_email,
        "phone": case.requester_phone,
        "organisation": case.requester_organisation,
    }


def own_code(case: Case, own: bool) -> str | None:
    """The requester's tracking code, on the case's own answer only: a list is read by others,
    and the code is the requester's secret (``null`` there)."""
    return format_public_code(case.public_code) if own else None


def case_fields(request: HttpRequest, case: Case, *, own: bool, url_name: str) -> dict:
    """What the answer about a facility or an audience request says of its case (the request's
    own fields are the caller's); ``url_name`` names the request's detail endpoint."""
    return {
        "id": case.pk,
        "number": case.number,
        "public_code": own_code(case, own),
        "unit": unit_brief(case.unit),
        "status": case.status,
        "status_label": status_label(case.status),
        "requester": requester_data(case),
        "received_at": local(case.received_at),
        "due_at": local(case.due_at),
        "url": request.build_absolute_uri(reverse(url_name, args=[case.pk])),
    }


def token_case_rows[R: Model](
    request: HttpRequest, rows: QuerySet[R], joins: tuple[str, ...]
) -> QuerySet[R]:
    """The requests' rows (reaching their case through ``case``) a staff token may see:
    ``rows`` — those its user may see — narrowed to the token's unit limit, with ``joins``. A
    token without the right to use the staff API is a 403."""
    ensure_token_can(request, "api.use_staff")
    return within_token_units(request.auth, rows, "case__").select_related(*joins)


def case_row[R: Model](
    request: HttpRequest,
    rows: QuerySet[R],
    case_id: int,
    *,
    missing: str,
    code: str,
    action: str | None = None,
) -> R:
    """The row of case ``case_id`` among ``rows`` (those the token may see); otherwise a 404
    ``code`` saying ``missing`` — the same answer as for an id that does not exist, so other
    units' requests do not reveal themselves. With ``action``, the caller must also be allowed
    it on the case (else 403)."""
    row = rows.filter(case_id=case_id).first()
    if row is None:
        raise NotFound(missing, code)
    if action is not None:
        ensure_token_can(request, action, row.case)  # type: ignore[attr-defined]
    return row
