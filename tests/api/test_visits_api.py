"""Visits API: register, list (scoped, filtered, paginated, constant queries), desk actions."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from layanan.cases.models import Status
from layanan.visits.services import visit_register

from .utils import EN, bearer


@pytest.fixture
def seeded(org):
    """The seed standards published: Kesra's and Perekonomian's walk-in consultations."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


@pytest.fixture
def tokens(personas, make_token):
    return {name: make_token(user)[1] for name, user in personas.items()}


def post(client, url, data, key):
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(key))


def get(client, url, key, **params):
    return client.get(url, params, **bearer(key))


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


def kesra_service(org):
    from layanan.visits.services import walk_in_services

    return walk_in_services(org["biro-kesra"])[0]


def test_register_then_call_serve_route_finish(client, seeded, tokens):
    """The front desk's token registers a guest (ticket, 15-minute due time from the seed
    standard, requirements from the standard), calls, serves, routes and finishes."""
    service = kesra_service(seeded)
    requirement = service.published_version.requirements[0]
    visit = ok(
        post(
            client,
            "/api/v1/visits",
            {
                "unit": "biro-kesra",
                "service": service.slug,
                "name": "Siti Aminah",
                "phone": "0812 3456 7890",
                "origin": "Kemenag Kab. Sambas",
                "requirements": [requirement],
            },
            tokens["kesra_front"],
        ),
        201,
    )
    assert visit["ticket"] == "A-001" and visit["kind"] == "consultation"
    assert visit["requirements_checked"] == [requirement]
    assert visit["admin_limit_minutes"] == 15 and visit["due_at"]
    base = f"/api/v1/visits/{visit['id']}/"
    key = tokens["kesra_front"]
    assert ok(post(client, base + "call", {"desk": "Loket 1"}, key))["desk"] == "Loket 1"
    served = ok(post(client, base + "serve", {}, key))
    assert served["status"] == Status.IN_PROGRESS and served["admin_minutes"] is not None
    routed = ok(post(client, base + "route", {"division": "kesra-bina-mental"}, key))
    assert routed["routed_to"]["slug"] == "kesra-bina-mental"
    done = ok(post(client, base + "finish", {"outcome": "Dijelaskan."}, key))
    assert done["status"] == Status.CLOSED and done["outcome"] == "Dijelaskan."


def test_errors_are_json_with_codes(client, seeded, tokens):
    """Bad phone: 400 invalid_request naming the field (type invalid_phone, the one rule's),
    no phone: 400 invalid_phone; unknown keys: 400; finishing unserved: 409 not_served."""
    key = tokens["kesra_front"]
    response = post(
        client,
        "/api/v1/visits",
        {"unit": "biro-kesra", "name": "A", "phone": "1", "purpose": "x"},
        key,
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_request"
    errors = {tuple(e["loc"]): e["type"] for e in response.json()["errors"]}
    assert errors == {("body", "payload", "phone"): "invalid_phone"}
    response = post(
        client,
        "/api/v1/visits",
        {"unit": "biro-kesra", "name": "A", "phone": " ", "purpose": "x"},
        key,
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_phone"
    response = post(client, "/api/v1/visits", {"unit": "biro-kesra", "nama": "A"}, key)
    assert response.status_code == 400
    visit = ok(
        post(
            client,
            "/api/v1/visits",
            {"unit": "biro-kesra", "name": "A", "phone": "08123456789", "purpose": "x"},
            key,
        ),
        201,
    )
    response = post(client, f"/api/v1/visits/{visit['id']}/finish", {"outcome": "x"}, key)
    assert response.status_code == 409 and response.json()["code"] == "not_served"


def test_another_units_staff_cannot_see_or_act(client, seeded, tokens, kesra_front):
    """Perekonomian's officer: the Kesra visit is not in the list, and acting on it is 404
    unknown_visit, the same as an id that does not exist; registering for Kesra is 403."""
    case = visit_register(
        actor=kesra_front,
        unit=seeded["biro-kesra"],
        standard=None,
        name="Tamu",
        phone="081234567890",
        purpose="Mengantar surat",
    )
    key = tokens["ekon_officer"]
    assert ok(get(client, "/api/v1/visits", key))["count"] == 0
    response = post(client, f"/api/v1/visits/{case.pk}/call", {"desk": "X"}, key)
    assert response.status_code == 404 and response.json()["code"] == "unknown_visit"
    response = post(
        client,
        "/api/v1/visits",
        {"unit": "biro-kesra", "name": "A", "phone": "08123456789", "purpose": "x"},
        key,
    )
    assert response.status_code == 403
    assert ok(get(client, "/api/v1/visits", tokens["kesra_officer"]))["count"] == 1


def test_list_filters_paginates_in_constant_queries(
    client, seeded, tokens, kesra_front, django_assert_max_num_queries
):
    """Filters narrow the list; a page of 3 and a page of 12 cost the same number of queries."""
    service = kesra_service(seeded)
    for n in range(12):
        visit_register(
            actor=kesra_front,
            unit=seeded["biro-kesra"],
            standard=service if n % 2 else None,
            name=f"Tamu {n}",
            phone=f"0812000000{n:02d}",
            purpose="Konsultasi",
        )
    key = tokens["kesra_front"]
    page = ok(get(client, "/api/v1/visits", key, limit=5))
    assert page["count"] == 12 and len(page["results"]) == 5 and page["next"]
    assert ok(get(client, "/api/v1/visits", key, service=service.slug))["count"] == 6
    assert ok(get(client, "/api/v1/visits", key, waiting="true"))["count"] == 12
    assert ok(get(client, "/api/v1/visits", key, status="closed"))["count"] == 0
    with django_assert_max_num_queries(6):
        ok(get(client, "/api/v1/visits", key, limit=3))
    with django_assert_max_num_queries(6):
        ok(get(client, "/api/v1/visits", key, limit=12))


def test_anonymous_calls_are_refused(client, seeded):
    """No token: 401 for every visit endpoint."""
    assert client.get("/api/v1/visits", **EN).status_code == 401
