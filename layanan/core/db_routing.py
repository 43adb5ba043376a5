"""Reads from a PostgreSQL read replica (``DATABASE_REPLICA_URL``; docs/operations.md, "A read
replica").

Nothing goes to the replica unless a read-only code path asks for it with
:func:`reading_replica` — the report, dashboard, export and IKM selectors do, as decorator or
``with`` block. Every other read stays on the primary, so a page always sees what the request
before it wrote. Inside that block a read still goes to the primary when

- the primary is inside a ``transaction.atomic`` block (a write path, ``select_for_update``:
  its reads must see its own uncommitted rows and lock the primary's), or
- :func:`reading_primary` says so: the request writes (POST, PUT, PATCH, DELETE), or follows a
  staff member's write by less than ``REPLICA_PIN_SECONDS`` (:class:`ReplicaPinMiddleware`),
  or the figures read will be stored (``reports.summary.months_data``).

Writes always go to the primary; only the primary is migrated. Without
``DATABASE_REPLICA_URL`` the router is not installed and :func:`reading_replica` changes
nothing: there is one database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

#: The alias of the replica in ``settings.DATABASES``.
REPLICA = "replica"
#: The session key holding the moment (Unix time, the clock of ``timezone.now``) until which
#: the session's reads stay on the primary.
PIN_SESSION_KEY = "_replica_pin_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_replica_wanted: ContextVar[bool] = ContextVar("layanan_replica_wanted", default=False)
_primary_forced: ContextVar[bool] = ContextVar("layanan_primary_forced", default=False)


@contextmanager
def reading_replica() -> Iterator[None]:
    """Reads in this block (or decorated function) may go to the replica. For read-only code
    only: whatever it writes still goes to the primary, but it would decide on figures that
    may be a little behind (seconds at most; see the module's docstring)."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def reading_primary() -> Iterator[None]:
    """Every read in this block goes to the primary, even inside :func:`reading_replica`."""
    token = _primary_forced.set(True)
    try:
        yield
    finally:
        _primary_forced.reset(token)


def replica_reads() -> bool:
    """Whether a read now would go to the replica (when one is configured)."""
    return _replica_wanted.get() and not _primary_forced.get() and not _in_transaction()


def _in_transaction() -> bool:
    """Whether the primary is inside an ``atomic`` block of the code (the test case's own
    wrapping transaction does not count: in production there is none)."""
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` when ``DATABASE_REPLICA_URL`` is set (layanan/settings.py)."""

    def db_for_read(self, model, **hints) -> str:
        # Explicitly the primary outside the block: an object loaded from the replica and
        # read on later (a lazy relation in a template) does not drag its reads there.
        return REPLICA if replica_reads() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        both = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def _pinned(request: HttpRequest) -> bool:
    """Whether the session is within ``REPLICA_PIN_SECONDS`` of its last write. Sessions are
    only looked at when the browser sent one: an anonymous public page stays as cacheable as
    before (no ``Vary: Cookie`` added)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return False
    until = request.session.get(PIN_SESSION_KEY)
    return until is not None and timezone.now().timestamp() < until


class ReplicaPinMiddleware:
    """Read-your-writes for staff: a request that writes reads only the primary, and after any
    such request by a signed-in user the session's reads stay on the primary for
    ``REPLICA_PIN_SECONDS`` — the page shown right after a staff action (the redirect after a
    form) has the row just written, however far the replica is behind. Put it after
    AuthenticationMiddleware (settings adds it when ``DATABASE_REPLICA_URL`` is set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method not in SAFE_METHODS
        if writes or _pinned(request):
            with reading_primary():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if writes and user is not None and user.is_authenticated and hasattr(request, "session"):
            seconds = settings.REPLICA_PIN_SECONDS
            request.session[PIN_SESSION_KEY] = timezone.now().timestamp() + seconds
        return response
