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

Modules: ``forms`` reads the parameters and validates the POST, ``auth`` the key,
``throttling`` the rates, ``services`` writes, ``selectors`` reads, ``formats`` renders XML/JSON
and says what each document holds, ``errors`` are the spec's error answers; this one routes.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layanan.api.services import api_token_touch
from layanan.api.throttling import public_throttle, token_throttle
from layanan.cases.models import Case
from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, edge_error
from layanan.core.models import Unit
from layanan.core.scoping import public_surface

from . import selectors
from .auth import api_token
from .errors import Open311Error, bad
from .formats import (
    attribute_definitions,
    created_out,
    discovery_out,
    error_response,
    request_id,
    request_out,
    respond,
    service_out,
    too_many,
)
from .forms import BadRequest, Open311RequestForm, param, posted, request_query
from .services import open311_request_create
from .throttling import Open311Throttled, count_lookups, throttled


def open311_view(methods=("GET",)):
    """Answer in the format of the URL; turn Open311Error, domain errors and rate limits into
    the spec's error document."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(list(methods))
        @public_surface("public listing without identities or codes; filing checks the token")
        def wrapper(request: HttpRequest, fmt: str, *args, **kwargs):
            wait = throttled(request, public_throttle)
            if wait is not None:
                return too_many(fmt, wait)
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, exc.status, exc.description)
            except Open311Throttled as exc:
                return too_many(fmt, exc.wait)
            except ApplicationError as exc:
                status = exc.status_code if exc.status_code in (403, 404) else 400
                return error_response(fmt, status, exc.message)

        return wrapper

    return decorate


def _jurisdiction(params, *, required: bool = True) -> Unit | None:
    """The unit ``jurisdiction_id`` names (404 when none); without one, the only unit taking
    complaints, if there is just one (else 400, or None when not ``required``)."""
    slug = param(params, "jurisdiction_id")
    if slug:
        unit = selectors.jurisdiction_by_id(slug)
        if unit is None:
            raise Open311Error(404, _("jurisdiction_id “%(id)s” was not found.") % {"id": slug})
        return unit
    if not required:
        return None
    unit = selectors.sole_jurisdiction()
    if unit is not None:
        return unit
    raise bad(_("jurisdiction_id was not provided: this endpoint serves several jurisdictions."))


def _service(unit: Unit, code: str) -> ServiceStandard:
    if not code:
        raise bad(_("service_code was not provided."))
    standard = selectors.service_of(unit, code)
    if standard is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    return standard


# --- discovery and services -------------------------------------------------------------------


@open311_view()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changed = selectors.catalogue_changed_at() or timezone.now()
    body = discovery_out(request.build_absolute_uri("/open311/v2"), changed)
    return respond(fmt, "discovery", body)


@open311_view()
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    body = [service_out(standard, unit) for standard in selectors.services_of(unit)]
    return respond(fmt, "services", body)


@open311_view()
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    standard = _service(unit, service_code)
    body = {"service_code": standard.slug, "attributes": attribute_definitions()}
    return respond(fmt, "service_definition", body)


# --- requests ---------------------------------------------------------------------------------


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    query = request_query(request.GET, now=timezone.now())
    if query.ids:
        # "This overrides all other arguments" (the spec). One lookup per id asked.
        count_lookups(request, len(query.ids))
        complaints = selectors.published_complaints().filter(unit=unit)
        found = selectors.published_by_ids(complaints.order_by("-received_at", "-pk"), query.ids)
    else:
        found = selectors.published_matching(unit, query)
    return respond(fmt, "service_requests", [request_out(case) for case in found])


def _published(request: HttpRequest, raw_id: str) -> Case | None:
    """The published complaint with this Open311 id (one lookup of the shared budget)."""
    unit = _jurisdiction(request.GET, required=False)
    count_lookups(request, 1)
    return selectors.published_by_id(raw_id, unit=unit)


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


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    """Key, rate, jurisdiction and service first (they decide 403, 429 and 404); then the form
    (400 with its first error) and the service, which checks that the key may file here."""
    try:
        params, attributes = posted(request)
    except BadRequest as exc:
        raise bad(exc.description) from None
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        error = edge_error(exc)  # the same answer as the API's: 413 payload_too_large
        raise Open311Error(error.status, error.detail) from None
    token = api_token(param(params, "api_key") if "api_key" in params else "")
    request.auth = token
    wait = throttled(request, token_throttle)
    if wait is not None:
        return too_many(fmt, wait)
    api_token_touch(token=token)
    unit = _jurisdiction(params)
    standard = _service(unit, param(params, "service_code"))
    form = Open311RequestForm(params, attributes)
    if not form.is_valid():
        raise bad(form.first_error())
    case = open311_request_create(token=token, unit=unit, standard=standard, **form.complaint())
    return respond(fmt, "service_requests", [created_out(case)])


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in the format the path ends with."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    return error_response(fmt, 404, _("There is no such resource."))
