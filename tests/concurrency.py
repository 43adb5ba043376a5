"""Run one function in several threads at once, each with its own database connection."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable

from django.db import connections


def run_concurrently(count: int, fn: Callable[[], object], timeout: float = 60) -> list:
    """Start ``count`` threads that call ``fn`` together (a barrier releases them at once);
    return the results. Any exception in a thread is re-raised here; connections the threads
    opened are closed. Each thread runs in a copy of the caller's context, so the caller's unit
    scope (layanan/core/scoping.py; disabled by tests/conftest.py) holds in the threads too."""
    context = contextvars.copy_context()
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(context.copy().run(fn))
        except Exception as exc:  # pragma: no cover - re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
