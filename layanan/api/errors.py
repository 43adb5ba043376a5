"""Every API error is JSON ``{"detail": "...", "code": "..."}`` with a 4xx status.

``detail`` is a translated sentence for people (in the language the request negotiated through
LocaleMiddleware: ``Accept-Language``), ``code`` a stable identifier for programs. Some errors
add keys: ``errors`` (request validation), ``candidates`` (ambiguous slug).

Request validation answers **400** with code ``invalid_request`` (the same status as a domain
``ApplicationError``: bad input is 400, whichever layer notices it).

Exceptions not mapped here (a body past the upload limit, a database outage, a bug) are passed
on instead of ninja's default handler (a traceback as text in DEBUG): ``EdgeErrorMiddleware``
(``layanan.core.middleware``) answers them for the API, Open311 and the pages alike.
"""

from __future__ import annotations

import math
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)

from layanan.core.errors import ApplicationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class NotAuthenticated(ApplicationError):
    """401: no credentials, or credentials that do not (or no longer) work."""

    status_code = 401
    default_code = "not_authenticated"


# Codes for the generic statuses (ninja's HttpError and friends).
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, **extra}


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        # RFC 6750: tell the client which scheme to use.
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def not_found_message() -> str:
    return _("Not found.")


@csrf_exempt  # token-authenticated API: a POST to an unknown path is a 404, not a CSRF page
def json_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """For URLs under /api/v1/ that match no endpoint: the same JSON 404 as the endpoints."""
    return JsonResponse(error_body(not_found_message(), "not_found"), status=404)


def json_method_not_allowed(view):
    """Wrap a ninja URL view so that its plain-text 405 (a method the path does not offer)
    becomes the JSON error shape; the ``Allow`` header is kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            body = error_body(_("This method is not allowed here."), "method_not_allowed")
            replacement = JsonResponse(body, status=405)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response

    return wrapper


def register_exception_handlers(api: NinjaAPI) -> None:
    """Install the handlers; lookup is by the exception's MRO, so the most specific wins."""

    def application_error(request, exc: ApplicationError):
        return _respond(api, request, exc.status_code, exc.as_dict())

    def validation_error(request, exc: ValidationError):
        errors = []
        for error in exc.errors:
            errors.append(
                {
                    "loc": [str(part) for part in error.get("loc", ())],
                    "msg": str(error.get("msg", error)),
                    "type": str(error.get("type", "invalid")),
                }
            )
        body = error_body(_("The request is not valid."), "invalid_request", errors=errors)
        return _respond(api, request, 400, body)

    def not_found(request, exc: Exception):
        return _respond(api, request, 404, error_body(not_found_message(), "not_found"))

    def not_authenticated(request, exc: AuthenticationError):
        body = error_body(
            _("Authentication required: send “Authorization: Bearer <token>”."),
            "not_authenticated",
        )
        return _respond(api, request, 401, body)

    def permission_denied(request, exc: Exception):
        body = error_body(_("You are not allowed to do this."), "permission_denied")
        return _respond(api, request, 403, body)

    def throttled(request, exc: Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else 60
        body = error_body(
            _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": wait},
            "throttled",
        )
        response = _respond(api, request, 429, body)
        response["Retry-After"] = str(wait)
        return response

    def http_error(request, exc: HttpError):
        status = exc.status_code
        if status == 404:
            return not_found(request, exc)
        code = STATUS_CODES.get(status, "error")
        messages = {
            400: _("The request could not be read."),
            405: _("This method is not allowed here."),
        }
        detail = messages.get(status, _("The request failed."))
        extra = {}
        if status == 400:
            # A body that is not JSON at all: the same shape as any invalid request.
            extra["errors"] = [{"loc": ["body"], "msg": str(detail), "type": "json_invalid"}]
        return _respond(api, request, status, error_body(detail, code, **extra))

    def pass_on(request, exc: Exception):
        raise exc  # to layanan.core.middleware.EdgeErrorMiddleware, then Django

    api.add_exception_handler(Exception, pass_on)
    api.add_exception_handler(ApplicationError, application_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(AuthorizationError, permission_denied)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(HttpError, http_error)
