"""Open311 GeoReport v2 under /open311/v2/ (spec: wiki.open311.org/GeoReport_v2; see
docs/open311.md for every decision).

- jurisdiction = a unit (``jurisdiction_id`` = its slug), optional when only one unit takes
  complaints; service = a published standard of that unit that takes complaints
  (``service_code`` = the standard's slug).
- ``service_request_id`` = the complaint's case number written with dashes
  (``KESRA-ADU-2026-000123`` for ``KESRA/ADU/2026/000123``). The tracking code is the reporter's
  secret (with it ``/lacak/<code>/`` shows the answer and offers to reopen): no GET here ever
  returns it; only the POST that files the complaint hands it back, to the filer.
- Filing needs ``api_key`` (an API token of a user who may record complaints in the unit, and
  whose unit limit reaches it); ``forms.Open311RequestForm`` validates the body and
  ``services.open311_request_create`` files it through ``complaint_create`` with channel
  ``api``, exactly as the web form and the JSON API do.
- Lookups by id (``requests/{id}``, ``tokens/{id}``, ``?service_request_id=``, one per id) count
  in the lookup budget every tracking path shares (``core.ratelimit.TRACKING_LOOKUPS``).
- Public answers carry no identity and no description (either may name the reporter), and a
  location only for complaints filed through Open311 and not anonymously. Confidential
  complaints are not published at all (neither listed nor found by id).

Modules: ``forms`` reads and validates the POST, ``services`` writes, ``selectors`` reads,
``formats`` renders XML/JSON and says what each request document holds; this one routes.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layanan.api.selectors import api_token_for_key
from layanan.api.services import api_token_touch
from layanan.api.throttling import public_throttle, token_throttle
from layanan.cases.models import OPEN_STATUSES, Case, Status
from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, edge_error
from layanan.core.models import Unit
from layanan.core.ratelimit import TRACKING_LOOKUPS
from layanan.core.scoping import public_surface

from .formats import (
    attribute_definitions,
    created_out,
    error_response,
    request_id,
    request_out,
    respond,
)
from .forms import BadRequest, Open311RequestForm, posted
from .selectors import published_by_id, published_by_ids, published_complaints
from .services import open311_request_create

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: The spec's limits: a query spans at most 90 days and returns at most 1,000 requests.
QUERY_SPAN = dt.timedelta(days=90)
QUERY_LIMIT = 1000
ID_LIST_MAX = 100
FIELD_MAX = {"jurisdiction_id": 100, "service_code": 100}
CLOSED_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class Open311Throttled(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def _count_lookups(request: HttpRequest, count: int) -> None:
    """Count ``count`` lookups by id in the budget every lookup path shares (the tracking pages,
    the API's ``track``): one per id asked, found or not."""
    wait = TRACKING_LOOKUPS.hit(request, count)
    if wait:
        raise Open311Throttled(wait)


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
            except Open311Throttled as exc:
                return _too_many(fmt, exc.wait)
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


@open311_view()
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    standard = _service(unit, service_code)
    body = {"service_code": standard.slug, "attributes": attribute_definitions()}
    return respond(fmt, "service_definition", body)


# --- requests ---------------------------------------------------------------------------------


def _ids(raw: str) -> list[str]:
    ids = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if len(ids) > ID_LIST_MAX:
        raise _bad(_("At most %(max)d service_request_id at once.") % {"max": ID_LIST_MAX})
    return ids


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
    complaints = published_complaints().filter(unit=unit)
    ids = _param(params, "service_request_id") if "service_request_id" in params else ""
    if len(ids) > ID_LIST_MAX * 20:
        raise _bad(_("service_request_id is too long."))
    if ids:
        # "This overrides all other arguments" (the spec). One lookup per id asked.
        asked = _ids(ids)
        _count_lookups(request, len(asked))
        found = published_by_ids(complaints.order_by("-received_at", "-pk"), asked)
        return respond(fmt, "service_requests", [request_out(case) for case in found])
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
    return respond(fmt, "service_requests", [request_out(case) for case in complaints])


def _published(request: HttpRequest, raw_id: str) -> Case | None:
    """The published complaint with this Open311 id (one lookup of the shared budget)."""
    unit = _jurisdiction(request.GET, required=False)
    _count_lookups(request, 1)
    return published_by_id(raw_id, unit=unit)


@open311_view(methods=("GET",))
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    case = _published(request, service_request_id)
    if case is None:
        raise Open311Error(
            404,
            _("service_request_id “%(id)s” was not found.") % {"id": service_request_id[:40]},
        )
    return respond(fmt, "service_requests", [request_out(case)])


@open311_view(methods=("GET",))
def token_detail(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    """Requests are created in real time, so no POST answers a token; a client that asks
    anyway with the service_request_id it got gets the spec's mapping back (the id twice).
    A tracking code is no token: it is 404 like anything unknown."""
    case = _published(request, token_id)
    if case is None:
        raise Open311Error(404, _("token “%(id)s” was not found.") % {"id": token_id[:40]})
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": request_id(case), "token": request_id(case)}],
    )


@open311_view(methods=("GET", "POST"))
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


# --- filing -----------------------------------------------------------------------------------


def _api_token(params):
    key = _param(params, "api_key") if "api_key" in params else ""
    if not key:
        raise Open311Error(403, _("api_key is missing: filing a request needs an API key."))
    token = api_token_for_key(key[:200])
    if token is None or not token.user.is_active or not token.is_usable:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked or expired."))
    return token


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    """Key, rate, jurisdiction and service first (they decide 403, 429 and 404); then the form
    (400 with its first error) and the service, which checks that the key may file here."""
    try:
        params, attributes = posted(request)
    except BadRequest as exc:
        raise _bad(exc.description) from None
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        error = edge_error(exc)  # the same answer as the API's: 413 payload_too_large
        raise Open311Error(error.status, error.detail) from None
    token = _api_token(params)
    request.auth = token
    wait = _throttled(request, token_throttle)
    if wait is not None:
        return _too_many(fmt, wait)
    api_token_touch(token=token)
    unit = _jurisdiction(params)
    standard = _service(unit, _param(params, "service_code"))
    form = Open311RequestForm(params, attributes)
    if not form.is_valid():
        raise _bad(form.first_error())
    case = open311_request_create(token=token, unit=unit, standard=standard, **form.complaint())
    return respond(fmt, "service_requests", [created_out(case)])


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in the format the path ends with."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    return error_response(fmt, 404, _("There is no such resource."))
