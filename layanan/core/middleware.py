"""Answers for failures no view handles itself, in the format of the part of the site asked.

``layanan.core.errors.edge_error`` says what a failure means (status, code, translated detail);
this module renders it:

- under ``/api/``: the API's JSON error ``{"detail", "code"}``;
- under ``/open311/``: the Open311 error document, in the format the path ends with;
- elsewhere: only "the database is unreachable" is ours (the page ``errors/unavailable.html``);
  other errors keep Django's handling (its 400/403/404 pages).

It is reached three ways, so that a failure is answered the same wherever it is raised, with
DEBUG on or off:

- ``EdgeErrorMiddleware.process_exception``: exceptions raised by a view (django-ninja passes on
  every exception the API does not map itself, see ``layanan.api.errors``);
- ``EdgeErrorMiddleware.__call__``: the Host header, checked before any other middleware reads it;
- ``handler400``/``handler403``/``handler404``/``handler500`` (the root URLconf) and
  ``csrf_failure`` (CSRF_FAILURE_VIEW): failures raised inside other middleware, e.g. the session
  middleware when the database is gone.

A database outage is logged as ONE line (logger ``layanan.errors``, WARNING, no traceback) and
answered 503 with ``Retry-After``; a real bug still gets Django's 500 and its traceback.
"""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from .errors import EdgeError, edge_error

logger = logging.getLogger("layanan.errors")

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
UNAVAILABLE_TEMPLATE = "errors/unavailable.html"


def surface(request: HttpRequest) -> str:
    """``"api"``, ``"open311"`` or ``"html"``: which error format the request expects."""
    path = request.path_info
    if path.startswith(API_PREFIX):
        return "api"
    if path.startswith(OPEN311_PREFIX):
        return "open311"
    return "html"


def _open311_format(request: HttpRequest) -> str:
    return "json" if request.path_info.endswith(".json") else "xml"


def _unavailable_page(request: HttpRequest, error: EdgeError) -> HttpResponse:
    """Our page, rendered without touching the database: the user and the messages (both read
    from the session, which lives in the database) are replaced by empty ones."""
    context = {"user": AnonymousUser(), "messages": (), "error": error}
    try:
        return render(request, UNAVAILABLE_TEMPLATE, context, status=error.status)
    except Exception:  # e.g. the static manifest is missing too: still a 503, in plain text
        logger.warning("the %s page could not be rendered", UNAVAILABLE_TEMPLATE)
        return HttpResponse(error.detail, status=error.status, content_type="text/plain")


def render_error(request: HttpRequest, error: EdgeError) -> HttpResponse | None:
    """The response for ``error`` in the request's format, or None where Django's own handling
    stays (a 4xx on an HTML page)."""
    kind = surface(request)
    if kind == "api":
        from layanan.api.errors import error_body

        response = JsonResponse(error_body(error.detail, error.code), status=error.status)
    elif kind == "open311":
        from layanan.open311.formats import error_response

        response = error_response(_open311_format(request), error.status, error.detail)
    elif error.unavailable:
        response = _unavailable_page(request, error)
    else:
        return None
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def _describe(exc: BaseException) -> str:
    """The exception's class (and the driver's class and SQLSTATE), never its message, which can
    carry host and user names."""
    parts = [type(exc).__name__]
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        parts.append(f"{type(cause).__module__}.{type(cause).__name__}")
        sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if sqlstate:
            parts.append(f"sqlstate {sqlstate}")
    return ", ".join(parts)


def edge_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """Classify ``exc`` and render it; None for a real bug or where Django's handling stays.

    A database outage is logged here, once, and the response marked as logged so that Django's
    ``django.request`` logger does not add a second line."""
    if exc is None:
        return None
    error = edge_error(exc)
    if error is None:
        return None
    response = render_error(request, error)
    if response is not None and error.unavailable:
        logger.warning(
            "database unavailable (%s): %s %s answered %d",
            _describe(exc),
            request.method,
            request.path,
            error.status,
        )
        response._has_been_logged = True
    return response


def _log_suspicious(request: HttpRequest, exc: BaseException) -> None:
    """What Django logs for a SuspiciousOperation (same logger, so the same filters apply), as
    one line."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(
        "%s (%s %s)", exc, request.method, request.path
    )


class EdgeErrorMiddleware:
    """Put it first in MIDDLEWARE: its Host check must run before any other middleware reads
    the host, and its ``process_exception`` sees every exception a view raises."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if surface(request) != "html":
            try:
                request.get_host()
            except DisallowedHost as exc:
                # LocaleMiddleware has not run yet: answer in the language the client asked for.
                with translation.override(translation.get_language_from_request(request)):
                    response = edge_response(request, exc)
                _log_suspicious(request, exc)
                response._has_been_logged = True
                return response
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        response = edge_response(request, exc)
        if response is not None and isinstance(exc, SuspiciousOperation):
            _log_suspicious(request, exc)
            response._has_been_logged = True
        return response


# --- the URLconf's error handlers and the CSRF failure view ------------------------------------


def _generic(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse | None:
    if surface(request) == "html":
        return None
    return render_error(request, EdgeError(status, code, detail))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return (
        edge_response(request, exception)
        or _generic(request, 400, "bad_request", _("The request could not be read."))
        or defaults.bad_request(request, exception)
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return (
        edge_response(request, exception)
        or _generic(request, 403, "permission_denied", _("You are not allowed to do this."))
        or defaults.permission_denied(request, exception)
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return (
        edge_response(request, exception)
        or _generic(request, 404, "not_found", _("Not found."))
        or defaults.page_not_found(request, exception)
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls it inside its ``except`` block: the exception is ``sys.exc_info()``."""
    return (
        edge_response(request, sys.exc_info()[1])
        or _generic(
            request,
            500,
            "server_error",
            _("Something went wrong on our side. The error has been logged."),
        )
        or defaults.server_error(request)
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the format of the surface; Django's page elsewhere."""
    return _generic(
        request, 403, "csrf_failed", _("The request was refused: its CSRF check failed.")
    ) or csrf.csrf_failure(request, reason)
