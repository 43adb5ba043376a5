"""``/healthz``: for load balancers and monitoring. No authentication, no secrets, no cache."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@never_cache
@require_GET
def healthz(request):
    report = health_report()
    # "degraded" still serves (200): a load balancer must not take the site out for it.
    return JsonResponse(report, status=503 if report["status"] == "fail" else 200)
