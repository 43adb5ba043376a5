"""The API describes itself: a valid OpenAPI 3 document and a docs page that needs no CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from layanan.api.api import api

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("get", "/api/v1/units"),
    ("get", "/api/v1/standards"),
    ("get", "/api/v1/standards/{unit_slug}/{slug}"),
    ("get", "/api/v1/standards/{slug}"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/complaints"),
    ("get", "/api/v1/complaints"),
    ("get", "/api/v1/complaints/{complaint_id}"),
    ("post", "/api/v1/complaints/{complaint_id}/verify"),
    ("post", "/api/v1/complaints/{complaint_id}/classify"),
    ("post", "/api/v1/complaints/{complaint_id}/assign"),
    ("post", "/api/v1/complaints/{complaint_id}/answer"),
    ("post", "/api/v1/complaints/{complaint_id}/close"),
    ("post", "/api/v1/complaints/{complaint_id}/reject"),
    ("get", "/api/v1/track/{public_code}"),
    ("get", "/api/v1/resources"),
    ("post", "/api/v1/bookings"),
    ("get", "/api/v1/bookings"),
    ("get", "/api/v1/bookings/{case_id}"),
    ("post", "/api/v1/bookings/{case_id}/approve"),
    ("post", "/api/v1/bookings/{case_id}/refuse"),
    ("post", "/api/v1/bookings/{case_id}/cancel"),
    ("post", "/api/v1/audiences"),
    ("get", "/api/v1/audiences"),
    ("get", "/api/v1/audiences/{case_id}"),
    ("post", "/api/v1/audiences/{case_id}/disposition"),
    ("post", "/api/v1/audiences/{case_id}/schedule"),
    ("post", "/api/v1/audiences/{case_id}/reply"),
    ("post", "/api/v1/audiences/{case_id}/close"),
    ("get", "/api/v1/ikm"),
    ("get", "/api/v1/survey/questionnaire"),
    ("get", "/api/v1/survey/periods"),
    ("post", "/api/v1/survey/responses"),
    ("get", "/api/v1/reports/monthly"),
    ("post", "/api/v1/visits"),
    ("get", "/api/v1/visits"),
    ("post", "/api/v1/visits/{visit_id}/call"),
    ("post", "/api/v1/visits/{visit_id}/serve"),
    ("post", "/api/v1/visits/{visit_id}/route"),
    ("post", "/api/v1/visits/{visit_id}/finish"),
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_is_served_at_the_documented_url():
    """Clients rely on the exact URLs /api/v1/openapi.json and /api/v1/docs."""
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
    assert reverse("api:openapi-view") == "/api/v1/docs"


def test_openapi_document_is_structurally_valid(schema):
    """The document is OpenAPI 3 with info, paths and operations that each declare responses,
    and every $ref points at a schema that exists (a dangling ref breaks code generators)."""
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "Layanan API"
    assert schema["info"]["version"]
    assert schema["info"]["description"]
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in item.items():
            assert method in HTTP_METHODS
            assert operation["responses"], (method, path)
            assert operation["operationId"]
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path", "header", "cookie"}
                assert "schema" in parameter
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in components, ref
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_openapi_lists_every_endpoint(schema):
    """Every endpoint of the API is in the document, and nothing else is."""
    listed = {(method, path) for path, item in schema["paths"].items() for method in item if method}
    assert listed == EXPECTED_OPERATIONS
    registered = {
        (method.lower(), re.sub("/+", "/", f"/api/v1/{prefix}/{path}"))
        for prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert registered == EXPECTED_OPERATIONS


def test_openapi_documents_errors_and_token_auth(schema):
    """Error responses are documented with the shared error shape, and the staff endpoint
    declares bearer authentication."""
    paths = schema["paths"]
    not_found = paths["/api/v1/standards/{unit_slug}/{slug}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    ambiguous = paths["/api/v1/standards/{slug}"]["get"]["responses"]["409"]
    assert ambiguous["content"]["application/json"]["schema"]["$ref"].endswith("/AmbiguousOut")
    me = paths["/api/v1/me"]["get"]
    assert me["security"] == [{"TokenAuth": []}]
    scheme = schema["components"]["securitySchemes"]["TokenAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "security" not in paths["/api/v1/units"]["get"]
    page = schema["components"]["schemas"]["StandardSummaryPage"]
    assert list(page["properties"]) == ["count", "next", "previous", "results"]


def test_docs_page_uses_only_local_static_files(client):
    """The interactive docs load Swagger UI from our own /static/ (WhiteNoise), never from a
    CDN: no absolute or protocol-relative URL anywhere in the page."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "//" not in re.sub(r"<!--.*?-->", "", html).replace("/static/", "")
    assert "cdn" not in html.lower()


def test_docs_page_works_with_collected_hashed_static_files(client, settings, tmp_path):
    """In production the static files are collected with hashed names (WhiteNoise manifest
    storage); the docs page must still render and point at the collected files."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for url in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert re.fullmatch(r"/static/ninja/[\w.-]+\.[0-9a-f]{12}\.\w+", url), url
        assert (tmp_path / url.removeprefix("/static/")).exists(), url


def test_api_root_points_to_the_description(client):
    """/api/v1/ itself answers JSON with the links to openapi.json and the docs."""
    body = client.get("/api/v1/").json()
    assert body["openapi"].endswith("/api/v1/openapi.json")
    assert body["docs"].endswith("/api/v1/docs")
