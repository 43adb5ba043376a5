"""Every API error is JSON {"detail", "code"} with a 4xx status, in the request's language."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from ninja.errors import AuthorizationError, HttpError, Throttled, ValidationError

from layanan.api import catalogue
from layanan.api.api import api
from layanan.api.throttling import public_throttle, token_throttle
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.core.middleware import csrf_failure
from layanan.core.models import Unit

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(client):
    """A URL under /api/v1/ that matches no endpoint answers the JSON 404, not an HTML page."""
    for path in ("/api/v1/nothing", "/api/v1/units/", "/api/v1/standards/a/b/c"):
        assert_error(client.get(path, **EN), 404, "not_found")


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404("internal detail"), 404, "not_found"),
        (Unit.DoesNotExist(), 404, "not_found"),
        (PermissionDenied(), 403, "permission_denied"),
        (AuthorizationError(), 403, "permission_denied"),
        (NotPermitted("No.", "permission_denied"), 403, "permission_denied"),
        (Conflict("Taken.", "already_taken"), 409, "already_taken"),
        (ApplicationError("Bad.", "bad_thing"), 400, "bad_thing"),
        (HttpError(400, "Cannot parse request body"), 400, "bad_request"),
        (HttpError(405, "Method not allowed"), 405, "method_not_allowed"),
        (
            ValidationError([{"loc": ("body", "x"), "msg": "bad", "type": "t"}]),
            400,
            "invalid_request",
        ),
        (Throttled(wait=None), 429, "throttled"),
    ],
)
def test_exceptions_map_to_json_errors(exc, status, code):
    """Each kind of exception an endpoint may raise becomes the JSON error shape with its
    status and code; internal messages (an Http404's text) are not shown."""
    request = RequestFactory().get("/api/v1/x")
    with translation.override("en"):
        response = api.on_exception(request, exc)
    assert_error(response, status, code)
    assert b"internal detail" not in response.content


def test_application_error_extra_keys_are_kept():
    """ApplicationError.extra adds keys to the error body (e.g. candidates)."""
    request = RequestFactory().get("/api/v1/x")
    exc = Conflict("Ambiguous.", "ambiguous_slug", extra={"candidates": [{"unit": "a"}]})
    body = api.on_exception(request, exc)
    assert assert_error(body, 409, "ambiguous_slug")["candidates"] == [{"unit": "a"}]


def test_error_language_follows_accept_language(client, org):
    """The same error in English and Indonesian keeps its status and code; the response says
    which language it used. Once the Indonesian catalogue translates the message, the detail
    differs (until then it is the English msgid in both)."""
    en = client.get("/api/v1/standards", {"unit": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    id_ = client.get("/api/v1/standards", {"unit": "x"}, HTTP_ACCEPT_LANGUAGE="id")
    en_body = assert_error(en, 404, "unknown_unit")
    id_body = assert_error(id_, 404, "unknown_unit")
    assert en["Content-Language"] == "en"
    assert id_["Content-Language"] == "id"
    msgid = "There is no unit “%(slug)s”."
    with translation.override("id"):
        translated = translation.gettext(msgid) != msgid
    assert (en_body["detail"] != id_body["detail"]) is translated
    assert en_body["detail"] == "There is no unit “x”."


def test_default_language_is_indonesian(client, org):
    """Without Accept-Language the API answers in the site's default language, Indonesian."""
    response = client.get("/api/v1/standards", {"unit": "x"})
    assert_error(response, 404, "unknown_unit")
    assert response["Content-Language"] == "id"


def test_anonymous_calls_are_throttled_with_retry_after(client, org, monkeypatch):
    """Past the anonymous rate, calls get 429 throttled with a Retry-After header."""
    monkeypatch.setattr(public_throttle, "num_requests", 2)
    for _ in range(2):
        assert client.get("/api/v1/units", **EN).status_code == 200
    response = client.get("/api/v1/units", **EN)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def test_throttling_is_per_client_address(client, org, monkeypatch):
    """Another address has its own budget."""
    monkeypatch.setattr(public_throttle, "num_requests", 1)
    assert client.get("/api/v1/units", REMOTE_ADDR="10.0.0.1", **EN).status_code == 200
    assert client.get("/api/v1/units", REMOTE_ADDR="10.0.0.1", **EN).status_code == 429
    assert client.get("/api/v1/units", REMOTE_ADDR="10.0.0.2", **EN).status_code == 200


def test_forwarded_for_is_ignored_unless_behind_a_proxy(client, org, monkeypatch, settings):
    """A client cannot dodge the limit with a made-up X-Forwarded-For; behind our proxy the
    address the proxy appended counts."""
    monkeypatch.setattr(public_throttle, "num_requests", 1)
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client.get("/api/v1/units", HTTP_X_FORWARDED_FOR="1.1.1.1", **EN).status_code == 200
    assert client.get("/api/v1/units", HTTP_X_FORWARDED_FOR="2.2.2.2", **EN).status_code == 429
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    spoof = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 3.3.3.3", **EN}
    assert client.get("/api/v1/units", **spoof).status_code == 200
    spoof = {"HTTP_X_FORWARDED_FOR": "8.8.8.8, 3.3.3.3", **EN}
    assert client.get("/api/v1/units", **spoof).status_code == 429


def test_token_calls_are_throttled_per_token(client, kesra_officer, make_token, monkeypatch):
    """Authenticated calls count against their token, not the caller's address."""
    monkeypatch.setattr(token_throttle, "num_requests", 1)
    _a, key_a = make_token(kesra_officer)
    _b, key_b = make_token(kesra_officer)
    assert client.get("/api/v1/me", **bearer(key_a)).status_code == 200
    response = client.get("/api/v1/me", **bearer(key_a))
    assert_error(response, 429, "throttled")
    assert response["Retry-After"]
    assert client.get("/api/v1/me", **bearer(key_b)).status_code == 200


def test_unsupported_method_is_json_405(client, org):
    """A method an endpoint does not offer is a JSON 405 that still names the allowed ones."""
    response = client.post("/api/v1/units", **EN)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert client.get("/api/v1/units", **EN).status_code == 200


# --- failures outside the endpoints' own handlers (layanan/core/middleware.py) -----------------

DEBUG_MODES = pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])


@pytest.fixture
def edge_client(settings):
    """A client that enforces CSRF like a browser-less caller meets it, and returns Django's
    own answer instead of re-raising an exception that escaped to the handler."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


@DEBUG_MODES
def test_body_past_the_upload_limit_is_json_413(edge_client, org, settings, debug):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE is 413 payload_too_large in the JSON shape with
    a translated detail naming the limit — not ninja's traceback (DEBUG) or Django's HTML 400
    (production)."""
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    body = json.dumps({"unit": "biro-kesra", "description": "x" * 2_700_000})
    response = edge_client.post("/api/v1/complaints", body, content_type="application/json", **EN)
    error = assert_error(response, 413, "payload_too_large")
    assert error["detail"] == "The request body is too large: at most 2.5\xa0MB."
    with translation.override("id"):
        response = edge_client.post(
            "/api/v1/complaints", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="id"
        )
        assert response["Content-Language"] == "id"
        msgid = "The request body is too large: at most %(size)s."
        expected = gettext(msgid) % {"size": "2,5\xa0MB"}
    assert assert_error(response, 413, "payload_too_large")["detail"] == expected


@DEBUG_MODES
def test_disallowed_host_is_json_400(edge_client, org, settings, debug):
    """A Host header not in ALLOWED_HOSTS is a JSON 400 bad_host under /api/ (Django's HTML
    page elsewhere), logged once as Django logs it (django.security.DisallowedHost)."""
    settings.DEBUG = debug
    response = edge_client.get("/api/v1/units", HTTP_HOST="evil.example", **EN)
    assert_error(response, 400, "bad_host")
    page = edge_client.get("/", HTTP_HOST="evil.example", **EN)
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@DEBUG_MODES
def test_post_to_an_unknown_path_is_json_404_not_a_csrf_page(edge_client, org, settings, debug):
    """The API is token-authenticated: a POST (form or JSON) to a path without an endpoint is
    the JSON 404, never Django's CSRF failure page; a POST to /api/v1/ itself is a JSON 405."""
    settings.DEBUG = debug
    assert_error(edge_client.post("/api/v1/nothing", {"a": "1"}, **EN), 404, "not_found")
    assert_error(
        edge_client.post("/api/v1/nothing", "{}", content_type="application/json", **EN),
        404,
        "not_found",
    )
    assert_error(edge_client.post("/api/v1/", {"a": "1"}, **EN), 405, "method_not_allowed")
    assert edge_client.get("/api/v1/", **EN).status_code == 200


@DEBUG_MODES
@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (TooManyFieldsSent("x"), 413, "too_many_fields"),
        (TooManyFilesSent("x"), 413, "too_many_files"),
        (SuspiciousOperation("x"), 400, "bad_request"),
        (BadRequest("x"), 400, "bad_request"),
        (MultiPartParserError("x"), 400, "bad_request"),
    ],
)
def test_request_errors_raised_in_an_endpoint_are_json(
    edge_client, org, settings, monkeypatch, debug, exc, status, code
):
    """Whatever Django raises while reading a request (too many fields or files, a malformed
    multipart body, any SuspiciousOperation) is the JSON error with its 4xx, with DEBUG on or
    off; internal messages are not shown."""
    settings.DEBUG = debug
    monkeypatch.setattr(catalogue, "unit_data", _raiser(exc))
    response = edge_client.get("/api/v1/units", **EN)
    assert_error(response, status, code)
    assert b'"x"' not in response.content


def test_a_bug_in_production_is_a_json_500(edge_client, org, settings, monkeypatch):
    """An unexpected exception in production is still a 500 (and Django logs its traceback),
    but in the JSON shape, code server_error, without the exception's text."""
    settings.DEBUG = False
    monkeypatch.setattr(catalogue, "unit_data", _raiser(RuntimeError("secret internals")))
    response = edge_client.get("/api/v1/units", **EN)
    assert_error(response, 500, "server_error")
    assert b"secret internals" not in response.content


def test_csrf_failure_under_the_api_is_json(rf, settings):
    """Should a CSRF check ever fail under /api/ or /open311/, the answer is in that format
    (CSRF_FAILURE_VIEW); elsewhere it stays Django's page."""
    assert settings.CSRF_FAILURE_VIEW == "layanan.core.middleware.csrf_failure"
    with translation.override("en"):
        assert_error(csrf_failure(rf.post("/api/v1/x"), "no token"), 403, "csrf_failed")
        open311 = csrf_failure(rf.post("/open311/v2/x.xml"), "no token")
        page = csrf_failure(rf.post("/pengaduan/"), "no token")
    assert open311.status_code == 403 and open311["Content-Type"].startswith("text/xml")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


def _raiser(exc):
    def raise_it(*args, **kwargs):
        raise exc

    return raise_it
