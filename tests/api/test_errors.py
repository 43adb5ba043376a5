"""Every API error is JSON {"detail", "code"} with a 4xx status, in the request's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from ninja.errors import AuthorizationError, HttpError, Throttled, ValidationError

from layanan.api.api import api
from layanan.api.throttling import public_throttle, token_throttle
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
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
