"""Tasks on RQ (``TASKS_REDIS_URL``, django-tasks-rq): a real RQ worker against the real Redis.

The task is the application's own: ``dispatch_outbox``, which ``outbox_enqueue`` asks for once
the transaction that queued a message commits (``transaction.on_commit``). Its effect is an
e-mail that reaches a real SMTP server (``smtp_server``) and the outbox row turning "sent".

Two workers run the jobs:

- ``simple_worker``: RQ's ``SimpleWorker`` in this process (burst mode) — on SQLite and
  PostgreSQL, since it shares this process's test database;
- ``rqworker_command``: ``manage.py rqworker --burst --with-scheduler default`` in another
  process with ``TASKS_REDIS_URL`` set, as production runs it (a forking worker). That process
  must see the test database, so it runs on PostgreSQL (the tests are transactional: the rows
  are really committed). SQLite's test database lives in this process's memory: skipped there.

Redis db 5 is emptied (FLUSHDB on that db only) before and after each test.
"""

from __future__ import annotations

import datetime as dt
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import time_machine
from django.db import connection, transaction

from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/5"
DISPATCH = "layanan.notify.tasks.dispatch_outbox"


def _redis() -> redis.Redis | None:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        return None
    return client


pytestmark = [
    pytest.mark.skipif(_redis() is None, reason="needs Redis on 127.0.0.1:6379 (db 5)"),
    pytest.mark.django_db(transaction=True),
]


class Rollback(Exception):
    pass


@pytest.fixture
def rq_tasks(settings, monkeypatch):
    """The task settings that settings.py derives from ``TASKS_REDIS_URL`` (read from the
    settings file itself), on an empty Redis db 5."""
    monkeypatch.setenv("TASKS_REDIS_URL", REDIS_URL)
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    derived = runpy.run_path(str(ROOT / "layanan" / "settings.py"))
    assert derived["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert "django_rq" in derived["INSTALLED_APPS"]
    client = _redis()
    client.flushdb()
    settings.TASKS = derived["TASKS"]
    settings.RQ_QUEUES = derived["RQ_QUEUES"]
    settings.RQ = derived["RQ"]
    settings.NOTIFY_DISPATCH_ON_COMMIT = True
    yield client
    client.flushdb()


@pytest.fixture
def queue(rq_tasks):
    import django_rq

    return django_rq.get_queue("default")


def _run_simple_worker(smtp_server) -> None:
    import django_rq
    from rq import SimpleWorker

    # the job class comes from the settings (RQ["JOB_CLASS"]), as for `manage.py rqworker`
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)


def _run_rqworker_command(smtp_server) -> None:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND", "EMAIL_BACKEND"}
    } | {
        "DATABASE_URL": f"postgres://{db.get('USER') or 'postgres'}{password}@{host}/{db['NAME']}",
        "TASKS_REDIS_URL": REDIS_URL,
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--burst", "--with-scheduler", "default"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(params=["simple_worker", "rqworker_command"])
def run_worker(request, clock, smtp_server, queue):
    """Runs an RQ worker in burst mode: it takes every job on the queue, then stops."""
    if request.param == "simple_worker":
        return lambda: _run_simple_worker(smtp_server)
    if connection.vendor != "postgresql":
        pytest.skip(
            "a worker process cannot see SQLite's in-memory test database; "
            "runs on PostgreSQL (DATABASE_URL=postgres://...)"
        )
    # The worker process reads the real clock: queue the messages at the real time too, or
    # they would be due only at the suite's (possibly future) moment. Dispatching does not
    # depend on the time of day, so the outcome does not depend on when the test runs.
    clock.move_to(time_machine.escape_hatch.datetime.datetime.now(dt.UTC), tick=True)
    return lambda: _run_rqworker_command(smtp_server)


def _queue_email(recipient: str) -> OutboxMessage:
    return outbox_enqueue(
        channel="email", recipient=recipient, subject="Status permohonan", body="Isi pesan"
    )


def test_a_committed_transaction_puts_one_job_on_redis_that_runs_once(
    run_worker, queue, smtp_server, rq_tasks
):
    """Two messages queued in one transaction that commits: exactly one dispatch job lands on
    RQ (once per transaction), nothing is sent before a worker takes it, the worker sends each
    message exactly once, and the job is finished, not left on the queue to run again."""
    with transaction.atomic():
        first = _queue_email("warga.satu@example.com")
        second = _queue_email("warga.dua@example.com")
        assert queue.count == 0  # not before the commit

    assert queue.count == 1
    (job,) = queue.get_jobs()
    assert job.func_name == DISPATCH
    assert smtp_server.messages == []
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2

    run_worker()

    received = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in received) == ["warga.dua@example.com", "warga.satu@example.com"]
    for message in (first, second):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert queue.count == 0
    assert queue.finished_job_registry.get_job_ids() == [job.id]
    assert queue.failed_job_registry.count == 0


def test_a_rolled_back_transaction_puts_nothing_on_redis_and_nothing_runs(
    run_worker, queue, smtp_server, rq_tasks
):
    """A message queued in a transaction that rolls back: no job reaches Redis, a worker run
    executes nothing, no row and no e-mail exist."""
    with pytest.raises(Rollback), transaction.atomic():
        _queue_email("warga.batal@example.com")
        raise Rollback

    assert queue.count == 0
    assert rq_tasks.keys("rq:job:*") == []

    run_worker()

    assert queue.finished_job_registry.count == 0
    assert queue.failed_job_registry.count == 0
    assert not OutboxMessage.objects.exists()
    assert smtp_server.messages == []
