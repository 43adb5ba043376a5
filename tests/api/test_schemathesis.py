"""Property-based API testing: Schemathesis generates requests from /api/v1/openapi.json and
checks every answer: never a server error, and every response (status, content type, headers,
body) as the schema documents it.

Runs in-process through the WSGI application against the test database, with a published
standard and a staff token (Biro Kesra's complaint officer) sent on every call, so that
the staff endpoints are exercised beyond their 401; the public endpoints run once more
without the token. ``max_examples`` is small and generation
derandomized, so CI stays fast (seconds per operation) and a failure reproduces on every run.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation.meta import GenerationMode, ParameterLocation

from layanan.accounts.actors import PUBLIC
from layanan.complaints.services import complaint_create

from ..factories import published_standard

MAX_EXAMPLES = 12
# Every other built-in check runs (not_a_server_error, status code, content type, headers and
# response schema conformance, negative data rejection, …). Left out: "a schema-valid request
# must succeed", which cannot hold for business rules a schema does not express (a LAPOR!
# complaint needs its number, a unit must exist, a class must be the unit's); those answer a
# documented 4xx, which the conformance checks do verify.
EXCLUDED_CHECKS = [positive_data_acceptance]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def api_headers(org, kesra_officer, make_token):
    """Data for the endpoints to find (a published standard, a complaint) and the headers of
    every call: a token of Biro Kesra's complaint officer, English messages."""
    published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
    )
    complaint_create(
        actor=PUBLIC,
        unit=org["biro-kesra"],
        description="Loket konsultasi kosong.",
        requester_name="Budi",
    )
    _token, key = make_token(kesra_officer)
    # The WSGI handler closes the database connection when a request starts and ends; inside a
    # test that would close the test's own transaction (PostgreSQL). Django's test client
    # disconnects the same receiver.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {key}", "Accept-Language": "en"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, api_headers):
    """Every operation, with generated valid and invalid input: no 5xx, and every answer
    matches what the OpenAPI document promises (so generated clients can rely on it)."""
    headers = api_headers
    if _negative_headers(case):
        # Schemathesis made the headers invalid on purpose (e.g. left the required token out):
        # adding our token back would turn its invalid request into a valid one.
        headers = {k: v for k, v in api_headers.items() if k != "Authorization"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)


def _negative_headers(case) -> bool:
    components = case.meta.components if case.meta is not None else {}
    info = components.get(ParameterLocation.HEADER)
    return info is not None and info.mode == GenerationMode.NEGATIVE


def _needs_token(ctx) -> bool:
    """Operations whose OpenAPI security names a scheme (the public ones have none or [{}])."""
    security = ctx.operation.definition.raw.get("security") or []
    return any(requirement for requirement in security)


@schema.exclude(func=_needs_token).parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema_without_a_token(case, api_headers):
    """The same for a member of the public on the public endpoints (filing through the public
    path, staff-only fields refused with a documented 403)."""
    headers = {k: v for k, v in api_headers.items() if k != "Authorization"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)
