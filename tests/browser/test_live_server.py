"""The live server the browser journeys use: on SQLite (the test database in memory, one
connection shared with the server's threads) it serves one request at a time, so two requests
of one page never use the connection together; on PostgreSQL it stays threaded."""

from __future__ import annotations

import socketserver

from django.db import connection


def test_one_request_at_a_time_when_the_connection_is_shared(transactional_db, live_server):
    """A page and its favicon at once once gave one of them another's rows (a 500). (The test
    database exists before the live server starts, as in a full run, so on SQLite its
    connection is the one shared.)"""
    threaded = isinstance(live_server.thread.httpd, socketserver.ThreadingMixIn)
    shared = bool(live_server.thread.connections_override)
    assert shared == (connection.vendor == "sqlite")
    assert threaded == (not shared)
