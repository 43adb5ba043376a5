"""Domain errors. Services raise them; views, forms and the API turn them into 4xx answers.

And the one table of failures at the edges (``edge_error``), below."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A translated, user-facing error with a stable machine-readable code."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, code: str | None = None, *, extra: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.extra = extra or {}

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, **self.extra}


class NotPermitted(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class NotFound(ApplicationError):
    status_code = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    status_code = 409
    default_code = "conflict"


# --- failures at the edges --------------------------------------------------------------------
#
# Errors that no view handles itself: the request body is too large, the Host header is not
# allowed, the database is unreachable. ``edge_error`` is the one table that says what each
# means (status, code, translated detail); ``layanan.core.middleware`` renders the answer in the
# format of the part of the site the request went to (JSON under /api/, the Open311 error
# document under /open311/, a page elsewhere).

#: Seconds a client is asked to wait (``Retry-After``) while the database is unreachable.
UNAVAILABLE_RETRY_AFTER = 30

#: PostgreSQL SQLSTATEs that mean "no database to talk to" rather than "this statement failed":
#: class 08 (connection exception), the server shutting down or refusing connections
#: (57P01 admin_shutdown — what pg_terminate_backend and a restart send — 57P02, 57P03), and
#: no connection slot left (53300).
_UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03", "53300"}
#: SQLite result codes of the same kind: the file cannot be opened or read.
_UNAVAILABLE_SQLITE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_NOTADB", "SQLITE_CORRUPT")


@dataclass(frozen=True)
class EdgeError:
    """What to answer for a failure outside the views' own error handling."""

    status: int
    code: str
    detail: str
    retry_after: int | None = None
    #: The database is unreachable: logged as one line, without a traceback.
    unavailable: bool = False


def _driver_error(exc: BaseException) -> BaseException | None:
    """The database driver's exception Django wrapped (``raise … from``)."""
    return exc.__cause__ if exc.__cause__ is not None else exc.__context__


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` means the database cannot be reached (cannot connect, the connection
    was cut, the server is restarting), False for errors of one statement such as a lock or
    statement timeout, a deadlock or a serialization failure, which are bugs or load and keep
    their traceback."""
    from django.db import InterfaceError, OperationalError

    if isinstance(exc, InterfaceError):
        return True  # "connection already closed": the client side of a lost connection
    if not isinstance(exc, OperationalError):
        return False
    cause = _driver_error(exc)
    if cause is None:
        return False  # raised by hand, nothing to tell it by: not assumed to be an outage
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
    sqlite_name = getattr(cause, "sqlite_errorname", None)
    if sqlite_name is not None:
        return sqlite_name.startswith(_UNAVAILABLE_SQLITE)
    # psycopg without an SQLSTATE: the failure happened on the client's side of the connection
    # (connection refused, server closed the connection unexpectedly, timeout while connecting).
    return type(cause).__module__.split(".")[0] in {"psycopg", "psycopg2"}


def edge_error(exc: BaseException) -> EdgeError | None:
    """The answer for an exception that escaped the views, or None for a real bug (a 500)."""
    from django.core.exceptions import (
        BadRequest,
        DisallowedHost,
        PermissionDenied,
        RequestDataTooBig,
        SuspiciousOperation,
        TooManyFieldsSent,
        TooManyFilesSent,
    )
    from django.http import Http404
    from django.http.multipartparser import MultiPartParserError
    from django.template.defaultfilters import filesizeformat

    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return EdgeError(
            413,
            "payload_too_large",
            _("The request body is too large: at most %(size)s.") % {"size": limit},
        )
    if isinstance(exc, TooManyFieldsSent):
        return EdgeError(
            413,
            "too_many_fields",
            _("The request has too many fields: at most %(count)d.")
            % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
        )
    if isinstance(exc, TooManyFilesSent):
        return EdgeError(
            413,
            "too_many_files",
            _("The request has too many files: at most %(count)d.")
            % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
        )
    if isinstance(exc, DisallowedHost):
        return EdgeError(400, "bad_host", _("This site is not served under that host name."))
    if isinstance(exc, SuspiciousOperation | BadRequest | MultiPartParserError):
        return EdgeError(400, "bad_request", _("The request could not be read."))
    if isinstance(exc, PermissionDenied):
        return EdgeError(403, "permission_denied", _("You are not allowed to do this."))
    if isinstance(exc, Http404):
        return EdgeError(404, "not_found", _("Not found."))
    if database_unavailable(exc):
        return EdgeError(
            503,
            "unavailable",
            _("The service is unavailable for a moment. Please try again shortly."),
            retry_after=UNAVAILABLE_RETRY_AFTER,
            unavailable=True,
        )
    return None
