"""The query counter both benchmarked apps run outermost (Layanan through ``bench.settings``,
django-helpdesk through ``bench/peer/helpdesk_site``): it counts the SQL queries every request
runs on the default connection — middleware (session, user, session save) included — and sends
the number in the ``X-Bench-Queries`` response header, which the Lua scripts average."""

from __future__ import annotations

from django.db import connection

QUERY_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the queries run on the default connection while a request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response
