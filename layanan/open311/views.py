"""Open311 GeoReport v2 under /open311/v2/ (spec: wiki.open311.org/GeoReport_v2; see
docs/open311.md for every decision).

- jurisdiction = a unit (``jurisdiction_id`` = its slug), optional when only one unit takes
  complaints; service = a published standard of that unit that takes complaints
  (``service_code`` = the standard's slug).
- ``service_request_id`` = the complaint's public tracking code (``ABCD-EFGH-JKMN``): requests
  can be read without a key, so the id must not be guessable or enumerable; the case number is
  sequential and never used here.
- Filing needs ``api_key`` (an API token of a user who may record complaints in the unit, and
  whose unit limit reaches it) and goes through ``complaint_create`` with channel ``api``,
  exactly as the web form and the JSON API do.
- Public answers carry no identity and no description (either may name the reporter; anonymous
  and confidential reporters are protected by never publishing them), and a location only for
  complaints filed through Open311.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layanan.accounts.permissions import can
from layanan.api.permissions import token_reaches
from layanan.api.selectors import api_token_for_key
from layanan.api.services import api_token_touch
from layanan.api.throttling import public_throttle, token_throttle
from layanan.cases.models import OPEN_STATUSES, Case, CaseKind, Channel, Status
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.catalog.models import ServiceStandard
from layanan.complaints.services import complaint_create
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.core.scoping import public_surface
from layanan.workdays.deadlines import format_due

from .models import Open311Request
from .render import error_response, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: The spec's limits: a description of at most 4,000 characters; a query spans at most 90 days
#: and returns at most 1,000 requests.
DESCRIPTION_MAX = 4000
QUERY_SPAN = dt.timedelta(days=90)
QUERY_LIMIT = 1000
ID_LIST_MAX = 100
FIELD_MAX = {
    "jurisdiction_id": 100,
    "service_code": 100,
    "address_string": 300,
    "address_id": 100,
    "email": 254,
    "device_id": 100,
    "account_id": 100,
    "first_name": 70,
    "last_name": 70,
    "phone": 40,
    "media_url": 500,
}
SUBJECT_MAX = 200
CLOSED_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)
YES_NO = ("true", "false")


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


# --- common -----------------------------------------------------------------------------------


def _param(params: QueryDict | dict, name: str) -> str:
    """A parameter as text; "optional" means empty and absent are the same (the spec)."""
    value = params.get(name, "")
    if not isinstance(value, str):
        if isinstance(value, bool) or value is None:
            raise _bad(_("%(field)s must be text.") % {"field": name})
        value = str(value)
    value = value.strip()
    limit = FIELD_MAX.get(name)
    if limit and len(value) > limit:
        raise _bad(
            _("%(field)s is too long (at most %(max)d characters).") % {"field": name, "max": limit}
        )
    if "\x00" in value:
        raise _bad(_("%(field)s contains a NUL character.") % {"field": name})
    return value


def _units_taking_complaints():
    ids = (
        ServiceStandard.objects.published()
        .filter(accepts_complaints=True)
        .values_list("unit_id", flat=True)
    )
    return Unit.objects.filter(pk__in=ids).order_by("path")


def _jurisdiction(params, *, required: bool = True) -> Unit | None:
    slug = _param(params, "jurisdiction_id")
    if slug:
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            raise Open311Error(404, _("jurisdiction_id “%(id)s” was not found.") % {"id": slug})
        return unit
    if not required:
        return None
    units = list(_units_taking_complaints()[:2])
    if len(units) == 1:
        return units[0]
    raise _bad(_("jurisdiction_id was not provided: this endpoint serves several jurisdictions."))


def _services(unit: Unit):
    return (
        ServiceStandard.objects.published()
        .filter(unit=unit, accepts_complaints=True)
        .select_related("unit", "published_version")
        .order_by("position", "name", "pk")
    )


def _service(unit: Unit, code: str) -> ServiceStandard:
    if not code:
        raise _bad(_("service_code was not provided."))
    standard = _services(unit).filter(slug=code).first()
    if standard is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    return standard


def _throttled(request: HttpRequest, throttle) -> int | None:
    """None when the call may proceed, else the seconds to wait."""
    if throttle.allow_request(request):
        return None
    wait = throttle.wait()
    return math.ceil(wait) if wait is not None else 60


def open311_view(methods=("GET",)):
    """Answer in the format of the URL; turn Open311Error, domain errors and rate limits into
    the spec's error document."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(list(methods))
        @public_surface("public listing without identities or codes; filing checks the token")
        def wrapper(request: HttpRequest, fmt: str, *args, **kwargs):
            wait = _throttled(request, public_throttle)
            if wait is not None:
                return _too_many(fmt, wait)
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, exc.status, exc.description)
            except ApplicationError as exc:
                status = exc.status_code if exc.status_code in (403, 404) else 400
                return error_response(fmt, status, exc.message)

        return wrapper

    return decorate


def _too_many(fmt: str, wait: int) -> HttpResponse:
    response = error_response(
        fmt, 429, _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": wait}
    )
    response["Retry-After"] = str(wait)
    return response


def _w3(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the office's offset, e.g. 2026-08-03T09:15:00+07:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


# --- discovery and services -------------------------------------------------------------------


@open311_view()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changed = (
        ServiceStandard.objects.published().aggregate(at=Max("updated_at"))["at"] or timezone.now()
    )
    changeset = timezone.localtime(changed).strftime("%Y-%m-%d %H:%M")
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "Questions about this API: write to %(email)s."
    ) % {"email": settings.DEFAULT_FROM_EMAIL}
    body = {
        "changeset": changeset,
        "contact": contact,
        "key_service": _(
            "API keys are issued by the office's administrator (admin → API tokens) to a user "
            "who may record complaints in the unit."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", body)


@open311_view()
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    body = [
        {
            "service_code": standard.slug,
            "service_name": standard.published_version.name or standard.name,
            "description": _("Complaints about “%(service)s” of %(unit)s.")
            % {"service": standard.published_version.name or standard.name, "unit": unit.name},
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join([_("complaint"), standard.get_service_kind_display()]),
            "group": unit.name,
        }
        for standard in _services(unit)
    ]
    return respond(fmt, "services", body)


def _attribute_definitions() -> list[dict]:
    """The web form's fields that GeoReport has no field for. Every service has them."""
    yes_no = [{"key": "false", "name": _("No")}, {"key": "true", "name": _("Yes")}]
    return [
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": _("At most %(max)d characters.") % {"max": SUBJECT_MAX},
            "order": 1,
            "description": _("Subject of the complaint, in a few words."),
        },
        {
            "variable": True,
            "code": "anonymous",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 2,
            "description": _(
                "Anonymous: name, email and phone are discarded before anything is stored."
            ),
            "values": yes_no,
        },
        {
            "variable": True,
            "code": "confidential",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 3,
            "description": _(
                "Confidential: the identity is kept, but shown to the unit's complaint officer "
                "only."
            ),
            "values": yes_no,
        },
    ]


ATTRIBUTE_CODES = ("subject", "anonymous", "confidential")


@open311_view()
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    standard = _service(unit, service_code)
    body = {"service_code": standard.slug, "attributes": _attribute_definitions()}
    return respond(fmt, "service_definition", body)


# --- requests ---------------------------------------------------------------------------------


def _public_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _request_out(case: Case) -> dict:
    """What anyone may read of a complaint: no identity, no description (see module doc)."""
    extra = case.open311 if _has_open311(case) else None
    standard = case.standard
    return {
        "service_request_id": format_public_code(case.public_code),
        "status": _public_status(case.status),
        "status_notes": str(Status(case.status).label),
        "service_name": standard.name if standard else None,
        "service_code": standard.slug if standard else None,
        "description": None,
        "agency_responsible": case.unit.name,
        "service_notice": case.sla_text or None,
        "requested_datetime": _w3(case.received_at),
        "updated_datetime": _w3(
            case.closed_at if case.status == Status.CLOSED and case.closed_at else case.updated_at
        ),
        "expected_datetime": _w3(case.due_at),
        "address": (extra.address_string or None) if extra else None,
        "address_id": (extra.address_id or None) if extra else None,
        "zipcode": None,
        "lat": extra.lat if extra else None,
        "long": extra.long if extra else None,
        "media_url": (extra.media_url or None) if extra else None,
    }


def _has_open311(case: Case) -> bool:
    try:
        return case.open311 is not None
    except Open311Request.DoesNotExist:
        return False


def _complaints():
    return (
        Case.objects.filter(kind=CaseKind.COMPLAINT)
        .select_related("unit", "standard", "open311")
        .only(
            "public_code",
            "status",
            "sla_text",
            "received_at",
            "updated_at",
            "closed_at",
            "due_at",
            "unit__name",
            "standard__name",
            "standard__slug",
            "open311__address_string",
            "open311__address_id",
            "open311__lat",
            "open311__long",
            "open311__media_url",
        )
    )


def _codes(raw: str) -> list[str]:
    codes = [normalise_public_code(part) for part in raw.split(",")]
    codes = [code for code in codes if code]
    if len(codes) > ID_LIST_MAX:
        raise _bad(_("At most %(max)d service_request_id at once.") % {"max": ID_LIST_MAX})
    return [code for code in codes if len(code) <= 16]


def _moment(params, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise _bad(
            _("%(field)s is not a date and time (e.g. 2026-08-01T00:00:00+07:00).")
            % {"field": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    unit = _jurisdiction(params)
    complaints = _complaints().filter(unit=unit)
    ids = _param(params, "service_request_id") if "service_request_id" in params else ""
    if len(ids) > ID_LIST_MAX * 20:
        raise _bad(_("service_request_id is too long."))
    if ids:
        # "This overrides all other arguments" (the spec).
        complaints = complaints.filter(public_code__in=_codes(ids))
    else:
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        if codes:
            complaints = complaints.filter(standard__slug__in=codes[:ID_LIST_MAX])
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise _bad(_("status must be open or closed (comma-separated)."))
        if statuses == {"open"}:
            complaints = complaints.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            complaints = complaints.filter(status__in=CLOSED_STATUSES)
        start, end = _moment(params, "start_date"), _moment(params, "end_date")
        if start and end and end - start > QUERY_SPAN:
            raise _bad(_("start_date and end_date may not span more than 90 days."))
        if start and end and end < start:
            raise _bad(_("end_date is before start_date."))
        if end is None:
            end = start + QUERY_SPAN if start else timezone.now()
        if start is None:
            start = end - QUERY_SPAN
        complaints = complaints.filter(received_at__gte=start, received_at__lte=end)
    complaints = complaints.order_by("-received_at", "-pk")[:QUERY_LIMIT]
    return respond(fmt, "service_requests", [_request_out(case) for case in complaints])


def _request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    unit = _jurisdiction(request.GET, required=False)
    code = normalise_public_code(service_request_id)
    case = None
    if 0 < len(code) <= 16:
        complaints = _complaints().filter(public_code=code)
        if unit is not None:
            complaints = complaints.filter(unit=unit)
        case = complaints.first()
    if case is None:
        raise Open311Error(
            404,
            _("service_request_id “%(id)s” was not found.") % {"id": service_request_id[:40]},
        )
    return respond(fmt, "service_requests", [_request_out(case)])


@open311_view(methods=("GET",))
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    return _request_detail(request, fmt, service_request_id)


@open311_view(methods=("GET",))
def token_detail(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    """Requests are created in real time, so no POST answers a token; a client that asks
    anyway with the service_request_id it got gets the spec's mapping back."""
    unit = _jurisdiction(request.GET, required=False)
    code = normalise_public_code(token_id)
    complaints = Case.objects.filter(kind=CaseKind.COMPLAINT, public_code=code)
    if unit is not None:
        complaints = complaints.filter(unit=unit)
    if not (0 < len(code) <= 16) or not complaints.exists():
        raise Open311Error(404, _("token “%(id)s” was not found.") % {"id": token_id[:40]})
    request_id = format_public_code(code)
    return respond(
        fmt, "service_requests", [{"service_request_id": request_id, "token": token_id[:40]}]
    )


@open311_view(methods=("GET", "POST"))
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


# --- filing -----------------------------------------------------------------------------------

ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def _posted(request: HttpRequest) -> tuple[dict, dict]:
    """The sent parameters (form-encoded as the spec says, or a JSON object) and the
    attributes, ``attribute[code]=value``."""
    content_type = request.content_type or ""
    try:
        if content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                raise _bad(_("The request body is not valid JSON.")) from None
            if not isinstance(data, dict):
                raise _bad(_("The request body must be a JSON object."))
            attributes = data.pop("attribute", None) or {}
            if not isinstance(attributes, dict):
                raise _bad(_("attribute must be an object of code → value."))
            return data, attributes
        form = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        raise _bad(_("The request is too large.")) from None
    params, attributes = {}, {}
    for key in form:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            values = form.getlist(key)
            attributes[match.group(1)] = values if match.group(2) else values[-1]
        else:
            params[key] = form.get(key)
    return params, attributes


def _coordinate(params, name: str, bound: float) -> float | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        raise _bad(_("%(field)s must be a number.") % {"field": name})
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise _bad(_("%(field)s must be a number.") % {"field": name}) from None
    if not math.isfinite(value) or abs(value) > bound:
        raise _bad(
            _("%(field)s must be between -%(bound)d and %(bound)d.")
            % {"field": name, "bound": bound}
        )
    return value


def _attributes(raw: dict) -> dict:
    unknown = sorted(str(code) for code in raw if code not in ATTRIBUTE_CODES)
    if unknown:
        raise _bad(_("Unknown attribute: %(codes)s.") % {"codes": ", ".join(unknown)[:200]})
    clean = {}
    for code, value in raw.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str):
            raise _bad(_("attribute[%(code)s] must be a single value.") % {"code": code})
        value = value.strip()
        if code in ("anonymous", "confidential") and value not in (*YES_NO, ""):
            raise _bad(_("attribute[%(code)s] must be true or false.") % {"code": code})
        if code == "subject" and len(value) > SUBJECT_MAX:
            raise _bad(
                _("attribute[subject] is too long (at most %(max)d characters).")
                % {"max": SUBJECT_MAX}
            )
        clean[code] = value
    return clean


def _api_token(params):
    key = _param(params, "api_key") if "api_key" in params else ""
    if not key:
        raise Open311Error(403, _("api_key is missing: filing a request needs an API key."))
    token = api_token_for_key(key[:200])
    if token is None or not token.user.is_active or not token.is_usable:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked or expired."))
    return token


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    params, raw_attributes = _posted(request)
    token = _api_token(params)
    request.auth = token
    wait = _throttled(request, token_throttle)
    if wait is not None:
        return _too_many(fmt, wait)
    api_token_touch(token=token)
    user = token.user
    unit = _jurisdiction(params)
    standard = _service(unit, _param(params, "service_code"))
    if not can(user, "case.create", unit) or not token_reaches(token, unit):
        raise Open311Error(
            403,
            _("This api_key may not file requests for jurisdiction “%(id)s”.") % {"id": unit.slug},
        )
    lat, long = _coordinate(params, "lat", 90), _coordinate(params, "long", 180)
    if (lat is None) != (long is None):
        raise _bad(_("lat and long must be sent together."))
    address = _param(params, "address_string")
    address_id = _param(params, "address_id")
    if lat is None and not address and not address_id:
        raise _bad(_("A location is required: lat and long, address_string or address_id."))
    description = params.get("description", "")
    if not isinstance(description, str):
        raise _bad(_("%(field)s must be text.") % {"field": "description"})
    if "\x00" in description:
        raise _bad(_("%(field)s contains a NUL character.") % {"field": "description"})
    if len(description) > DESCRIPTION_MAX:
        raise _bad(
            _("description is too long (at most %(max)d characters).") % {"max": DESCRIPTION_MAX}
        )
    email = _param(params, "email")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise _bad(_("email is not a valid email address.")) from None
    media_url = _param(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise _bad(_("media_url is not a valid http(s) URL.")) from None
    attributes = _attributes(raw_attributes)
    name = " ".join(filter(None, [_param(params, "first_name"), _param(params, "last_name")]))
    with transaction.atomic():
        case = complaint_create(
            actor=user,
            unit=unit,
            standard=standard,
            channel=Channel.API,
            description=description,
            subject=attributes.get("subject", ""),
            location=address,
            requester_name=name,
            requester_email=email,
            requester_phone=_param(params, "phone"),
            anonymous=attributes.get("anonymous") == "true",
            confidential=attributes.get("confidential") == "true",
        )
        Open311Request.objects.create(
            case=case,
            lat=lat,
            long=long,
            address_string=address,
            address_id=address_id,
            media_url=media_url,
            device_id=_param(params, "device_id"),
            account_id=_param(params, "account_id"),
            attributes=attributes,
            api_token=token,
        )
    notice = None
    if case.due_at:
        notice = _(
            "Received. The answer is due by %(due)s (provisional until the complaint is "
            "classified)."
        ) % {"due": format_due(case.due_at)}
    body = [
        {
            "service_request_id": format_public_code(case.public_code),
            "service_notice": notice,
            "account_id": _param(params, "account_id") or None,
        }
    ]
    return respond(fmt, "service_requests", body)


def not_found(request: HttpRequest) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in the format the path ends with."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    return error_response(fmt, 404, _("There is no such resource."))
