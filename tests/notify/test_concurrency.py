"""Two dispatchers at once on PostgreSQL: every message is sent exactly once."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from layanan.notify import dispatch
from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue

MESSAGES = 30


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_dispatchers_send_each_message_exactly_once(smtp_server, monkeypatch):
    """Two dispatchers in parallel threads (own database connections) claim rows with
    SELECT … FOR UPDATE SKIP LOCKED: the SMTP server receives each message once, and every row
    ends sent after one attempt."""
    if connection.vendor != "postgresql":
        pytest.skip("row locking with SKIP LOCKED needs PostgreSQL (DATABASE_URL=postgres://…)")
    for n in range(MESSAGES):
        outbox_enqueue(
            channel="email", recipient=f"warga{n}@example.com", subject=f"Pesan {n}", body="x"
        )

    real_deliver = dispatch.deliver

    def slow_deliver(message):  # widen the window in which both dispatchers are busy
        time.sleep(0.01)
        return real_deliver(message)

    monkeypatch.setattr(dispatch, "deliver", slow_deliver)
    start = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            start.wait()
            reports.append(outbox_dispatch(limit=MESSAGES))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.sent for r in reports) == MESSAGES
    # Exact, not "wait and hope": the SMTP server stores a message before it answers 250 to
    # DATA, and a dispatcher counts a message sent only after that answer; both dispatchers
    # have returned, so every message that will ever arrive is already stored.
    received = list(smtp_server.messages)
    subjects = sorted(m["Subject"] for m in received)
    assert subjects == sorted(f"Pesan {n}" for n in range(MESSAGES))
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
