"""URLs of the load benchmark: the app's own, plus the ceiling view; and the query counter.

- ``/bench/ceiling/<code>/`` — scenario (a): the cheapest useful Django request, a bare JSON view
  that reads one Case by its tracking code (as on the tracking page, dashes allowed; a
  unique index) in the same gunicorn process and
  behind the same middleware as the app's pages. What the app's pages do beyond it is their own
  cost.
- ``QueryCountMiddleware`` (installed outermost by ``bench.settings``) counts the SQL queries
  every request runs — middleware (session, user, session save) included — and sends the number
  in the ``X-Bench-Queries`` response header, which the Lua scripts average per scenario.
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from layanan.cases.models import Case
from layanan.cases.numbering import normalise_public_code
from layanan.core.scoping import public_surface

QUERY_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the queries run on the default connection while a request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response


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
