"""The database unreachable: 503 with Retry-After and one log line, never a 500 with a traceback.

What is an outage (``layanan.core.errors.database_unavailable``) is tested with real errors of
both drivers (psycopg and sqlite3), whichever database the suite runs on; the answers of each part
of the site with DEBUG on and off; and, on PostgreSQL, a request whose connection is cut in the
middle (``pg_terminate_backend``) and a database that cannot be reached at all.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from wsgiref.util import setup_testing_defaults

import psycopg
import psycopg.errors
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.utils import translation

from layanan.api import catalogue
from layanan.catalog import selectors as catalog_selectors
from layanan.core.errors import UNAVAILABLE_RETRY_AFTER, database_unavailable
from layanan.core.models import Unit
from layanan.open311 import selectors as open311_selectors

from .test_faults import _terminate_all_backends, postgres_only

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DEBUG_MODES = pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])


@pytest.fixture(autouse=True)
def _language_restored():
    """Requests here ask for English; LocaleMiddleware leaves it active in the thread, where
    later tests that render outside a request would pick it up."""
    language = translation.get_language()
    yield
    translation.activate(language)


def _wrapped(cause: Exception, cls=OperationalError) -> Exception:
    """``cause`` wrapped the way Django's DatabaseErrorWrapper does (``raise … from``)."""
    try:
        raise cls(str(cause)) from cause
    except cls as exc:
        return exc


def psycopg_cannot_connect() -> Exception:
    """A real psycopg error: nothing listens on the port (no SQLSTATE: the client's side)."""
    try:
        psycopg.connect("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2")
    except psycopg.OperationalError as exc:
        return _wrapped(exc)
    raise AssertionError("port 1 accepted a connection")


def sqlite_cannot_open(tmp_path) -> Exception:
    """A real sqlite3 error: the database file cannot be opened (SQLITE_CANTOPEN)."""
    try:
        sqlite3.connect(tmp_path / "missing" / "db.sqlite3").execute("SELECT 1")
    except sqlite3.OperationalError as exc:
        return _wrapped(exc)
    raise AssertionError("the file opened")


def sqlite_locked(tmp_path) -> Exception:
    """A real sqlite3 lock timeout (SQLITE_BUSY): another connection holds the write lock."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        sqlite3.connect(path, timeout=0).execute("SELECT * FROM t")
    except sqlite3.OperationalError as exc:
        return _wrapped(exc)
    finally:
        holder.close()
    raise AssertionError("no lock")


@pytest.fixture(params=["postgresql", "sqlite"])
def outage(request, tmp_path):
    """A real "cannot reach the database" error of each driver, as Django raises it."""
    if request.param == "postgresql":
        return psycopg_cannot_connect()
    return sqlite_cannot_open(tmp_path)


def _raiser(exc):
    def raise_it(*args, **kwargs):
        raise exc

    return raise_it


def _outage_records(caplog):
    return [r for r in caplog.records if r.name == "layanan.errors"]


def assert_logged_once(caplog):
    """Exactly one line, at WARNING, without a traceback, and nothing else at ERROR."""
    lines = _outage_records(caplog)
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    assert lines[0].levelno == logging.WARNING
    assert lines[0].exc_info is None
    assert "database unavailable" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


# --- what counts as an outage -------------------------------------------------------------------


def test_connection_failures_of_both_drivers_are_outages(tmp_path):
    """Cannot connect (psycopg, no SQLSTATE), the connection cut by a restart or
    pg_terminate_backend (57P01), class 08, no connection slot (53300), a file SQLite cannot
    open, and a closed connection (InterfaceError) mean "the database is unreachable"."""
    assert database_unavailable(psycopg_cannot_connect())
    assert database_unavailable(sqlite_cannot_open(tmp_path))
    for error in (
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.ConnectionFailure("connection failure"),
        psycopg.errors.TooManyConnections("too many clients already"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
    ):
        assert database_unavailable(_wrapped(error)), error
    assert database_unavailable(_wrapped(psycopg.InterfaceError("the connection is closed")))
    assert database_unavailable(InterfaceError("connection already closed"))


def test_errors_of_one_statement_are_not_outages(tmp_path):
    """A lock or statement timeout, a deadlock, a serialization failure, an SQLite lock, a
    missing table and an OperationalError nobody can trace to the driver stay 500s with a
    traceback: they are bugs or load, not an unreachable database."""
    for error in (
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.SerializationFailure("could not serialize access"),
    ):
        assert not database_unavailable(_wrapped(error)), error
    assert not database_unavailable(sqlite_locked(tmp_path))
    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM nowhere")
    except sqlite3.OperationalError as exc:
        assert not database_unavailable(_wrapped(exc))
    assert not database_unavailable(OperationalError("raised by hand"))
    assert not database_unavailable(RuntimeError("not a database error"))


# --- the answers, raised in a view ---------------------------------------------------------------


@DEBUG_MODES
@pytest.mark.django_db
def test_api_answers_503_with_retry_after(
    client, org, settings, monkeypatch, caplog, outage, debug
):
    """Under /api/: 503 ``{"detail", "code": "unavailable"}`` with Retry-After, one log line."""
    settings.DEBUG = debug
    monkeypatch.setattr(catalogue, "unit_data", _raiser(outage))
    response = client.get("/api/v1/units", **EN)
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body == {
        "detail": "The service is unavailable for a moment. Please try again shortly.",
        "code": "unavailable",
    }
    assert_logged_once(caplog)
    assert "GET /api/v1/units" in _outage_records(caplog)[0].getMessage()


@DEBUG_MODES
@pytest.mark.django_db
def test_open311_answers_503_in_its_own_format(
    client, org, settings, monkeypatch, caplog, outage, debug
):
    """Under /open311/: the spec's error document with code 503, in the format of the path."""
    settings.DEBUG = debug
    monkeypatch.setattr(open311_selectors, "sole_jurisdiction", _raiser(outage))
    response = client.get("/open311/v2/services.xml", **EN)
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>503</code>" in response.content
    response = client.get("/open311/v2/services.json", **EN)
    assert json.loads(response.content)[0]["code"] == 503
    assert len(_outage_records(caplog)) == 2
    assert "Traceback" not in caplog.text


@DEBUG_MODES
@pytest.mark.django_db
def test_pages_answer_our_503_page_without_the_database(
    client, org, settings, monkeypatch, caplog, outage, debug, django_assert_num_queries
):
    """Elsewhere: our translated page (base.html: header, language switch) with 503 and
    Retry-After, rendered with no query at all — even for a signed-in user, whose session and
    messages would need the database."""
    settings.DEBUG = debug
    real_groups = catalog_selectors.catalogue_groups
    monkeypatch.setattr(catalog_selectors, "catalogue_groups", _raiser(outage))
    response = client.get("/", **EN)
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    page = response.content.decode()
    assert "<title>Temporarily unavailable · Layanan</title>" in page
    assert "your last request was not carried out" in page
    assert 'class="site-header"' in page
    assert_logged_once(caplog)

    # Signed in: the page shows no user (reading it would query), and queries nothing. (The
    # session itself is served from memory here, so the count below is the page alone.)
    from tests.factories import UserFactory

    monkeypatch.setattr(catalog_selectors, "catalogue_groups", real_groups)
    client.force_login(UserFactory())
    assert client.get("/", **EN).status_code == 200  # the session now holds its 2FA state
    data = dict(client.session.items())
    monkeypatch.setattr(SessionStore, "load", lambda self: dict(data))
    monkeypatch.setattr(catalog_selectors, "catalogue_groups", _raiser(outage))
    with django_assert_num_queries(0):
        response = client.get("/", **EN)
    assert response.status_code == 503
    assert "Staff login" in response.content.decode()


@pytest.mark.django_db
def test_an_outage_raised_in_a_middleware_is_503_too(org, settings, monkeypatch, caplog, outage):
    """The session is read by a middleware before any view: when that read finds no database
    (production), the URLconf's handler500 answers the same 503 page, one line logged."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr(SessionStore, "load", _raiser(outage))
    response = client.get("/", **EN)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    response = client.get("/api/v1/units", **EN)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "unavailable"
    assert len(_outage_records(caplog)) == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_a_lock_timeout_is_still_a_500_with_its_traceback(
    org, settings, monkeypatch, caplog, tmp_path
):
    """An OperationalError that is not an outage (here SQLite's "database is locked") is a
    500 — JSON under /api/ — and Django logs it with its traceback, as any bug."""
    settings.DEBUG = False
    monkeypatch.setattr(catalogue, "unit_data", _raiser(sqlite_locked(tmp_path)))
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/units", **EN)
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    assert "Retry-After" not in response
    assert not _outage_records(caplog)
    assert [r for r in caplog.records if r.name == "django.request" and r.exc_info]


# --- PostgreSQL for real -------------------------------------------------------------------------


def _wsgi(path: str) -> tuple[str, dict, bytes]:
    """A GET through Django's real WSGI handler (as gunicorn calls it; see test_faults)."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ.update({"HTTP_HOST": "testserver", "HTTP_ACCEPT_LANGUAGE": "en"})
    started = []
    body = b"".join(WSGIHandler()(environ, lambda s, h: started.append((s, dict(h)))))
    return started[0][0], started[0][1], body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_connection_cut_in_the_middle_of_a_request_is_503_and_the_next_one_works(
    org, settings, monkeypatch, caplog
):
    """PostgreSQL restarts while a request runs (every backend terminated between two of its
    queries): that request is 503 with Retry-After and one log line, no traceback; the next
    request reconnects by itself and succeeds; /healthz reports ok again."""
    settings.DEBUG = False
    real = catalogue.unit_data
    cut = []

    def unit_data(request, unit):
        if not cut:
            cut.append(_terminate_all_backends())
            Unit.objects.count()  # the next query of this request meets the cut connection
        return real(request, unit)

    monkeypatch.setattr(catalogue, "unit_data", unit_data)
    assert _wsgi("/healthz")[0].startswith("200")  # the connection is open and reused
    status, headers, body = _wsgi("/api/v1/units")
    assert cut and cut[0] >= 1
    assert status.startswith("503"), body
    assert headers["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert json.loads(body)["code"] == "unavailable"
    assert_logged_once(caplog)
    # the driver's class (and SQLSTATE 57P01 when the server's goodbye was read), no message
    assert "psycopg" in _outage_records(caplog)[0].getMessage()

    status, _headers, body = _wsgi("/api/v1/units")
    assert status.startswith("200"), body
    status, _headers, body = _wsgi("/healthz")
    assert status.startswith("200"), body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_database_down_is_503_everywhere_and_healthz_says_why(org, settings, caplog):
    """PostgreSQL not reachable at all (nothing listens on its port): the API, Open311 and the
    pages answer 503 with one log line each; /healthz keeps its own report (503, database
    failed with the error's class)."""
    settings.DEBUG = False
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        paths = ("/api/v1/units", "/open311/v2/services.json", "/")
        results = {path: _wsgi(path) for path in paths}
        health = _wsgi("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    for path, (status, headers, _body) in results.items():
        assert status.startswith("503"), path
        assert headers["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER), path
    assert json.loads(results["/api/v1/units"][2])["code"] == "unavailable"
    assert json.loads(results["/open311/v2/services.json"][2])[0]["code"] == 503
    assert b"Temporarily unavailable" in results["/"][2]
    assert len(_outage_records(caplog)) == 3
    assert "Traceback" not in caplog.text
    assert health[0].startswith("503")
    report = json.loads(health[2])
    assert report["checks"]["database"] == {"ok": False, "error": "OperationalError"}
