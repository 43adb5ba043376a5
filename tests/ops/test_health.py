"""/healthz, ``manage.py healthcheck`` and the JSON log formatter."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from layanan.ops.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_check_without_auth_or_secrets(client, settings, calendar_ready):
    """/healthz answers anonymous callers with 200 and the state of database, task queue, cache
    and working-day calendar — and nothing that could help an attacker (no host, no password, no
    database name)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "tasks", "cache", "calendar"}
    assert body["checks"]["calendar"] == {"ok": True, "degraded": False}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["tasks"]["pending"] == 0
    text = response.content.decode()
    name = settings.DATABASES["default"]["NAME"]
    assert str(name) not in text
    assert settings.SECRET_KEY not in text


def test_healthz_is_503_when_the_task_queue_is_stale(client, settings):
    """A task waiting longer than HEALTHCHECK_TASK_MAX_AGE_SECONDS means no worker is running:
    /healthz answers 503, names the check and the age, and the command exits non-zero."""
    from django_tasks_db.models import DBTaskResult

    from layanan.ops.tasks import apply_retention_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    result = apply_retention_task.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(hours=2)
    )
    settings.HEALTHCHECK_TASK_MAX_AGE_SECONDS = 600
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    tasks = body["checks"]["tasks"]
    assert tasks == tasks | {"ok": False, "error": "stale_queue", "pending": 1}
    assert tasks["oldest_pending_seconds"] >= 7200
    with pytest.raises(CommandError):
        call_command("healthcheck")


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    """A database failure is reported as a failed check with the error class only, never the
    message (which may carry a host or a user name)."""
    from layanan.ops import health

    def broken(*_args):
        raise RuntimeError("could not connect to server at db.internal:5432 as layanan")

    monkeypatch.setattr(health, "connections", {"default": type("C", (), {"cursor": broken})()})
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {"ok": False, "error": "RuntimeError"}
    assert "db.internal" not in response.content.decode()


def test_healthcheck_command_prints_each_check(capsys, calendar_ready):
    """``manage.py healthcheck`` prints one line per check (and JSON with --json), exit 0."""
    call_command("healthcheck")
    out = capsys.readouterr().out
    for name in ("database", "tasks", "cache", "calendar"):
        assert name in out
    call_command("healthcheck", "--json")
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_json_formatter_writes_one_object_per_line_with_extras():
    """LOG_FORMAT=json: each record is one JSON line with time, level, logger, message, the
    caller's ``extra`` fields and the traceback of a logged exception."""
    formatter = JsonFormatter()
    record = logging.LogRecord("layanan.x", logging.WARNING, __file__, 1, "sent %s", ("ok",), None)
    record.case_id = 12
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert (
        data | {"level": "WARNING", "logger": "layanan.x", "message": "sent ok", "case_id": 12}
        == data
    )
    assert data["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(formatter.format(record))["exc_info"]


def test_settings_select_the_json_formatter(monkeypatch):
    """LOG_FORMAT=json switches the console handler to the JSON formatter."""
    import importlib

    import layanan.settings as settings_module

    monkeypatch.setenv("LOG_FORMAT", "json")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == "json"
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        importlib.reload(settings_module)
