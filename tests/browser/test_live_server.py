"""The live server the browser journeys use: on SQLite (the test database in memory, one
connection shared with the server's threads) it serves one request at a time, so two requests
of one page never use the connection together; on PostgreSQL it stays threaded."""

from __future__ import annotations

import socketserver

from django.db import connection


def test_one_request_at_a_time_when_the_connection_is_shared(transactional_db, live_server):
    """A page and its favicon at once once gave one of them another's rows (a 500). The live
    server is made once per run: on SQLite it shares the test's connection when the test
    database existed before it started (a journey asking for data first), else each request
    opens its own; threaded exactly when nothing is shared. On PostgreSQL nothing is."""
    threaded = isinstance(live_server.thread.httpd, socketserver.ThreadingMixIn)
    shared = bool(live_server.thread.connections_override)
    assert threaded == (not shared)
    if connection.vendor != "sqlite":
        assert not shared
