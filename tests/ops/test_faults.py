"""Faults: the database going away, and a crash in the middle of a service.

Outbox retries with backoff and the failed message in the admin are covered in tests/notify
(test_email.py: ``test_backoff_doubles_and_the_last_attempt_marks_the_message_failed``,
``test_smtp_outage_keeps_the_message_and_a_later_dispatch_delivers_it``; test_whatsapp.py;
test_admin.py: ``test_message_failed_after_the_last_try_is_visible_in_the_admin``).
"""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)

from layanan.cases.models import Case, CaseCounter, CaseEvent
from layanan.complaints import services as complaint_services
from layanan.complaints.services import complaint_create

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates PostgreSQL backends"
)


def _file(org, text="Loket kosong."):
    return complaint_create(
        actor=AnonymousUser(),
        unit=org["biro-kesra"],
        description=text,
        requester_name="Siti",
        requester_email="siti@example.org",
    )


def _terminate_all_backends() -> int:
    """What a PostgreSQL restart does to the app: every server process of the database dies
    and every open connection is cut. (``pg_terminate_backend`` from a second connection, which
    needs no root and no service manager; a real ``systemctl restart postgresql`` is the same
    for the client.)"""
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    finally:
        killer.close()


def _wsgi_get(path: str) -> tuple[str, bytes]:
    """A request through Django's real WSGI handler (as gunicorn calls it): unlike the test
    client it sends ``request_started`` with ``close_old_connections``, where CONN_HEALTH_CHECKS
    does its work."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    status = []
    body = b"".join(WSGIHandler()(environ, lambda s, h: status.append(s)))
    return status[0], body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_restart_loses_no_committed_case_and_the_app_recovers(org, settings):
    """Committed cases survive the database being cut off; a transaction in flight at that
    moment is lost as a whole; the next request reconnects on its own (persistent connections
    with CONN_HEALTH_CHECKS) — no restart of the app."""
    settings.DEBUG = False
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    committed = [_file(org, f"Pengaduan {i}").number for i in range(3)]

    assert _wsgi_get("/healthz")[0].startswith("200")  # the connection is open and reused
    with pytest.raises((OperationalError, InterfaceError, DatabaseError)), transaction.atomic():
        _file(org, "Tertulis saat server mati")
        assert _terminate_all_backends() >= 1
    connection.close()  # what request_finished does after an error

    # Cut again while the app's connection is idle between requests.
    _wsgi_get("/healthz")
    assert _terminate_all_backends() >= 1
    status, body = _wsgi_get("/healthz")
    assert status.startswith("200"), body
    assert sorted(Case.objects.values_list("number", flat=True)) == sorted(committed)
    assert not Case.objects.filter(description="Tertulis saat server mati").exists()
    # Filing goes on, and the lost transaction left no hole in the numbers.
    assert _file(org).number.endswith("000004")


@pytest.mark.django_db(transaction=True)
def test_crash_in_the_middle_of_filing_leaves_no_half_written_case(org, monkeypatch):
    """complaint_create writes the case row, then its complaint detail: a crash between them
    rolls everything back — no case, no event, no detail, and the number is not used up."""
    real = complaint_services.ComplaintDetail

    class Exploding:
        class objects:
            @staticmethod
            def create(**kwargs):
                assert Case.objects.filter(pk=kwargs["case"].pk).exists()  # row was written
                raise RuntimeError("power cut")

    monkeypatch.setattr(complaint_services, "ComplaintDetail", Exploding)
    with pytest.raises(RuntimeError, match="power cut"):
        _file(org)
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0

    monkeypatch.setattr(complaint_services, "ComplaintDetail", real)
    case = _file(org)
    assert case.number.endswith("/000001")
    assert CaseCounter.objects.count() == 1
