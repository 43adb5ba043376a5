"""Answers for failures no view handles itself, in the format of the part of the site asked.

``layanan.core.errors.edge_error`` says what a failure means (status, code, translated detail);
this module renders it:

- under ``/api/``: the API's JSON error ``{"detail", "code"}``;
- under ``/open311/``: the Open311 error document, in the format the path ends with;
- elsewhere: our page ``errors/page.html`` (in the site's layout, translated, with a way home)
  for every error: 400, 403 (CSRF failure too), 404, 413, 500 and 503. The 500 and 503 pages
  are rendered without touching the database (no user, no messages, no organisation name).

It is reached three ways, so that a failure is answered the same wherever it is raised, with
DEBUG on or off:

- ``EdgeErrorMiddleware.process_exception``: exceptions raised by a view (django-ninja passes on
  every exception the API does not map itself, see ``layanan.api.errors``);
- ``EdgeErrorMiddleware.__call__``: the Host header, checked before any other middleware reads it;
- ``handler400``/``handler403``/``handler404``/``handler500`` (the root URLconf) and
  ``csrf_failure`` (CSRF_FAILURE_VIEW): failures raised inside other middleware, e.g. the session
  middleware when the database is gone.

A database outage is logged as ONE line (logger ``layanan.errors``, WARNING, no traceback) and
answered 503 with ``Retry-After``; a real bug is still a 500 with its traceback in the log.
With DEBUG on, Django's technical pages stay for the errors it handles itself (404, 500).
"""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import EdgeError, edge_error

logger = logging.getLogger("layanan.errors")

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
ERROR_TEMPLATE = "errors/page.html"


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


def _page_title(error: EdgeError) -> str:
    titles = {
        400: _("The request could not be read"),
        403: _("Access denied"),
        404: _("Page not found"),
        413: _("Too much data sent"),
        500: _("Something went wrong"),
        503: _("Temporarily unavailable"),
    }
    return titles.get(error.status, titles[500] if error.status >= 500 else titles[400])


def _page_explanation(error: EdgeError) -> str:
    """What happened and what to do, in the words of someone at a front desk."""
    if error.unavailable:
        return _(
            "The service cannot reach its data for a moment, so your last request was not "
            "carried out. Please try again in a minute."
        )
    explanations = {
        "csrf_failed": _(
            "The form was refused because it was open too long or your browser blocked "
            "cookies. Go back, reload the page and send it again; nothing you typed was saved."
        ),
        "not_found": _(
            "The page you asked for does not exist or has been moved. Check the address, or "
            "start again from the home page."
        ),
        "permission_denied": _(
            "Your account is not allowed to open this page. If you think it should be, ask "
            "the administrator of your unit."
        ),
        "server_error": _(
            "Something went wrong on our side and the error has been logged. Please try again "
            "later; if it keeps happening, contact the office."
        ),
    }
    return explanations.get(error.code, error.detail)


def error_page(request: HttpRequest, error: EdgeError) -> HttpResponse:
    """The one page for every error of the HTML site, in the site's layout and the visitor's
    language. For a 5xx it is rendered without the database: the user, the messages (both read
    from the session, which lives in the database) and the organisation's name are replaced by
    empty ones, so the page shows even when the database is what failed."""
    context = {"error": error, "home_url": reverse("catalog:home")}
    if error.status >= 500:
        context |= {"user": AnonymousUser(), "messages": (), "ORGANISATION_NAME": ""}
    # A failure raised before LocaleMiddleware ran: the language the visitor chose anyway
    # (cookie, then Accept-Language), read without the database.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    try:
        with translation.override(language):
            context |= {"title": _page_title(error), "explanation": _page_explanation(error)}
            return render(request, ERROR_TEMPLATE, context, status=error.status)
    except Exception:  # e.g. the static manifest is missing too: still the status, in plain text
        logger.warning("the %s page could not be rendered", ERROR_TEMPLATE, exc_info=True)
        return HttpResponse(error.detail, status=error.status, content_type="text/plain")


def render_error(request: HttpRequest, error: EdgeError, *, pages: bool = True) -> HttpResponse:
    """The response for ``error`` in the request's format. ``pages=False`` (exceptions a view
    raised) leaves the HTML site's 4xx and 500 to Django's handling, which calls the URLconf's
    handlers below (and shows its technical pages with DEBUG on); an outage is ours always."""
    kind = surface(request)
    if kind == "api":
        from layanan.api.errors import error_body

        response = JsonResponse(error_body(error.detail, error.code), status=error.status)
    elif kind == "open311":
        from layanan.open311.formats import error_response

        response = error_response(_open311_format(request), error.status, error.detail)
    elif error.unavailable or pages:
        response = error_page(request, error)
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


def edge_response(
    request: HttpRequest, exc: BaseException | None, *, pages: bool = True
) -> HttpResponse | None:
    """Classify ``exc`` and render it; None for a real bug or where Django's handling stays.

    A database outage is logged here, once, and the response marked as logged so that Django's
    ``django.request`` logger does not add a second line."""
    if exc is None:
        return None
    error = edge_error(exc)
    if error is None:
        return None
    response = render_error(request, error, pages=pages)
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
        response = edge_response(request, exc, pages=False)
        if response is not None and isinstance(exc, SuspiciousOperation):
            _log_suspicious(request, exc)
            response._has_been_logged = True
        return response


# --- the URLconf's error handlers and the CSRF failure view ------------------------------------


def _answer(
    request: HttpRequest, exception: BaseException | None, status: int, code: str, detail: str
) -> HttpResponse:
    """What the handlers answer: the classified exception if it says more (413, 503…), else
    the handler's own error, in the request's format."""
    return edge_response(request, exception) or render_error(
        request, EdgeError(status, code, detail)
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, exception, 400, "bad_request", _("The request could not be read."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(
        request, exception, 403, "permission_denied", _("You are not allowed to do this.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, exception, 404, "not_found", _("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls it inside its ``except`` block: the exception is ``sys.exc_info()``."""
    return _answer(
        request,
        sys.exc_info()[1],
        500,
        "server_error",
        _("Something went wrong on our side. The error has been logged."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the 403 of the surface (our page on the HTML site). ``reason`` is
    for the log (Django logs it), never shown."""
    return render_error(
        request,
        EdgeError(403, "csrf_failed", _("The request was refused: its CSRF check failed.")),
    )
