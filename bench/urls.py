"""URLs of the load benchmark: the app's own, plus the ceiling view.

- ``/bench/ceiling/<code>/`` — scenario (a): the cheapest useful Django request, a bare JSON view
  that reads one Case by its tracking code (as on the tracking page, dashes allowed; a
  unique index) in the same gunicorn process and
  behind the same middleware as the app's pages. What the app's pages do beyond it is their own
  cost.

The query counter every response carries is ``bench.querycount.QueryCountMiddleware``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from layanan.cases.models import Case
from layanan.cases.numbering import normalise_public_code
from layanan.core.scoping import public_surface


@require_safe
@public_surface("scenario (a): one case by its tracking code, as on the tracking page")
def ceiling(request: HttpRequest, code: str) -> JsonResponse:
    row = (
        Case.objects.filter(public_code=normalise_public_code(code))
        .values("number", "status", "received_at", "due_at")
        .first()
    )
    if row is None:
        raise Http404
    return JsonResponse(row)


urlpatterns = [
    path("bench/ceiling/<str:code>/", ceiling, name="bench_ceiling"),
    path("", include("layanan.urls")),
]
