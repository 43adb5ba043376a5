"""Health checks shared by ``/healthz`` and ``manage.py healthcheck``.

Each check answers ``{"ok": bool, ...}`` with facts an operator can act on and nothing secret
(no host names, no passwords, no exception texts that could carry them — only the exception's
class name).
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.tasks import task_backends
from django.utils import timezone


def _failure(exc: Exception) -> dict:
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict:
    started = time.monotonic()
    try:
        connection = connections["default"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is a failed check
        return _failure(exc)
    return {
        "ok": True,
        "vendor": connection.vendor,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def check_tasks() -> dict:
    """The task queue is reachable, and the oldest task ready to run is not too old (a stale
    queue means no worker is running: ``manage.py db_worker``)."""
    try:
        backend = task_backends["default"]
    except Exception as exc:
        return _failure(exc)
    backend_name = type(backend).__name__
    if backend_name != "DatabaseBackend":
        # Immediate/dummy backends have no queue that could back up.
        return {"ok": True, "backend": backend_name, "pending": 0, "oldest_pending_seconds": None}
    try:
        from django_tasks_db.models import DBTaskResult, get_date_max

        ready = DBTaskResult.objects.ready()
        pending = ready.count()
        date_max = get_date_max()
        now = timezone.now()
        oldest = None
        for enqueued_at, run_after in ready.order_by("enqueued_at").values_list(
            "enqueued_at", "run_after"
        )[:50]:
            since = enqueued_at if run_after == date_max else max(enqueued_at, run_after)
            age = (now - since).total_seconds()
            oldest = age if oldest is None else max(oldest, age)
    except Exception as exc:
        return _failure(exc)
    limit = settings.HEALTHCHECK_TASK_MAX_AGE_SECONDS
    result = {
        "ok": oldest is None or oldest <= limit,
        "backend": backend_name,
        "pending": pending,
        "oldest_pending_seconds": None if oldest is None else round(oldest),
        "max_age_seconds": limit,
    }
    if not result["ok"]:
        result["error"] = "stale_queue"
    return result


def check_cache() -> dict:
    key = f"healthcheck:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return _failure(exc)
    return {"ok": ok, "backend": type(cache).__name__} | ({} if ok else {"error": "read_back"})


def check_calendar() -> dict:
    """The working-day calendar is ready for every year a running case reaches (holidays
    loaded, estimated dates confirmed against the decree). A gap does not stop the site, so it
    is never a failure: the check stays ``ok`` and says ``degraded`` with the reason, and the
    report's status becomes ``degraded`` (HTTP 200) — layanan/workdays/selectors.py."""
    try:
        from layanan.workdays.selectors import calendar_gaps

        gaps = calendar_gaps()
    except Exception as exc:
        return {"ok": True, "degraded": True, "error": type(exc).__name__}
    result: dict = {"ok": True, "degraded": bool(gaps)}
    if gaps:
        result["reason"] = "; ".join(gap.describe() for gap in gaps)
        result["gaps"] = [{"year": gap.year, "reason": gap.reason} for gap in gaps]
    return result


CHECKS = {
    "database": check_database,
    "tasks": check_tasks,
    "cache": check_cache,
    "calendar": check_calendar,
}


def health_report() -> dict:
    """``{"status": "ok" | "degraded" | "fail", "checks": {name: {...}}}``: ``fail`` when a
    check fails (the site cannot serve: HTTP 503), else ``degraded`` when a check reports a
    degradation the site works through (HTTP 200), else ``ok``."""
    checks = {name: check() for name, check in CHECKS.items()}
    if not checks["database"]["ok"]:
        # The queue and the calendar live in the database: one cause, reported once.
        if checks["tasks"].get("error") not in (None, "stale_queue"):
            checks["tasks"]["error"] = "database_unavailable"
        if "error" in checks["calendar"]:
            checks["calendar"]["error"] = "database_unavailable"
    if not all(check["ok"] for check in checks.values()):
        status = "fail"
    elif any(check.get("degraded") for check in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks}
