"""The HTTP API under /api/v1/ (django-ninja).

OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs. The docs page is ninja's own
Swagger UI template, which loads its JavaScript and CSS through ``{% static %}`` (served by
WhiteNoise after collectstatic), never from a CDN.
"""

from __future__ import annotations

from ninja import NinjaAPI

from layanan.core.scoping import ninja_scopes

from . import catalogue, staff
from .errors import register_exception_handlers
from .throttling import public_throttle

DESCRIPTION = """\
The service catalogue (*Standar Pelayanan*) of the office, complaints, and staff access for
integrations.

* **Public endpoints** (catalogue, filing a complaint, tracking it by its code) need no
  authentication.
* **Staff endpoints** need an API token: `Authorization: Bearer <token>` (`Token <token>` works
  too). Administrators create tokens in the admin; the key is shown once.
* **Errors** are JSON `{"detail": "...", "code": "..."}` with a 4xx status. `detail` follows
  `Accept-Language` (`id` or `en`); `code` is stable. Invalid parameters: 400 `invalid_request`
  with the field `errors`. A body over 2.5 MB: 413 `payload_too_large`. While the database is
  unreachable: 503 `unavailable` with `Retry-After`.
* **Lists** take `limit` (1–200, default 50) and `offset` and answer
  `{"count", "next", "previous", "results"}`.
* **Rate limits** answer 429 `throttled` with `Retry-After`.
"""

api = NinjaAPI(
    title="Layanan API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[public_throttle],
)
register_exception_handlers(api)
api.add_decorator(ninja_scopes, mode="view")  # unit scopes: layanan/core/scoping.py
api.add_router("/", catalogue.router)
api.add_router("/", staff.router)
api.add_router("/", "layanan.api.complaints.router")
api.add_router("/", "layanan.api.visits.router")
api.add_router("/", "layanan.api.reports.router")
api.add_router("/", "layanan.api.facilities.router")
api.add_router("/", "layanan.api.audiences.router")
api.add_router("/", "layanan.api.surveys.router")
