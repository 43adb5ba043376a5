"""Every error path of the complaints API answers the documented JSON error, never a 500:
bad JSON, wrong types, unknown unit, missing token, another unit's token, oversized input and
the rate limit."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case
from layanan.complaints.services import complaint_create
from layanan.core.models import Unit

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints"


@pytest.fixture
def seeds(org):
    call_command("load_demo", "--no-users", verbosity=0)


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **{**EN, **headers})


def test_bad_json_is_400_with_errors(client, seeds):
    """A body that is not JSON: 400 with the validation shape (so the schema holds)."""
    body = assert_error(post(client, "{not json"), 400, "bad_request")
    assert body["errors"][0]["loc"] == ["body"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"unit": "biro-kesra", "description": 5},
        {"unit": ["biro-kesra"], "description": "x"},
        {"unit": "biro-kesra", "description": "x", "anonymous": 0},
        {"unit": "biro-kesra", "description": "x", "confidential": "yes"},
    ],
)
def test_wrong_types_are_400(client, seeds, payload):
    """Wrong JSON types, including 0 or "yes" for a boolean, are refused, not coerced."""
    body = assert_error(post(client, payload), 400, "invalid_request")
    assert body["errors"]
    assert not Case.objects.exists()


def test_unknown_unit_is_404(client, seeds):
    """A unit slug that does not exist: 404 unknown_unit."""
    assert_error(post(client, {"unit": "nope", "description": "x"}), 404, "unknown_unit")


def test_missing_token_on_staff_endpoints_is_401(client, seeds):
    """Staff endpoints without a token: 401 with WWW-Authenticate."""
    response = client.get(URL, **EN)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_units_token_cannot_file_or_read(client, seeds, ekon_officer, make_token):
    """Biro Perekonomian's officer: 403 filing staff-style to Biro Kesra, 404 reading a Kesra
    complaint (the same answer as a complaint that does not exist)."""
    _token, key = make_token(ekon_officer)
    payload = {"unit": "biro-kesra", "description": "x", "channel": "phone"}
    assert_error(post(client, payload, **bearer(key)), 403, "permission_denied")
    case = complaint_create(
        actor=PUBLIC, unit=Unit.objects.get(slug="biro-kesra"), description="Kesra"
    )
    assert_error(client.get(f"{URL}/{case.pk}", **bearer(key)), 404, "unknown_complaint")


def test_oversized_input_is_400(client, seeds):
    """A description past its maximum length: 400 invalid_request, nothing stored."""
    payload = {"unit": "biro-kesra", "description": "x" * 100_000}
    assert_error(post(client, payload), 400, "invalid_request")
    assert not Case.objects.exists()


def test_body_past_the_upload_limit_is_a_json_error(client, seeds, settings):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE never becomes a 500 or an HTML page: 413."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, {"unit": "biro-kesra", "description": "x" * 5000})
    assert_error(response, 413, "payload_too_large")
    assert not Case.objects.exists()


def test_rate_limit_is_429_with_retry_after(client, seeds):
    """Past the public filing rate (20 an hour per address): 429 throttled with Retry-After."""
    payload = {"unit": "biro-kesra", "description": "x"}
    for _ in range(20):
        assert post(client, payload).status_code == 201
    response = post(client, payload)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
