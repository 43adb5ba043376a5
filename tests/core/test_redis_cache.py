"""The shared cache: with ``REDIS_URL`` set, rate-limit counters live in Redis, so every
gunicorn worker (and every server) counts against the same limit."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from layanan.core import ratelimit
from layanan.core.ratelimit import RateLimit

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")


def test_two_workers_share_one_rate_limit_through_redis(monkeypatch, settings):
    """Two processes' caches (two client objects on one Redis) count together: the limit of 3
    is reached after 3 requests spread over both, not 3 in each."""
    settings.TEST_SHARED_RATE = (3, 60)
    limit = RateLimit(scope=f"test-{uuid.uuid4().hex}", setting="TEST_SHARED_RATE", default=(3, 60))
    worker_a = RedisCache(REDIS_URL, {})
    worker_b = RedisCache(REDIS_URL, {})
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    answers = []
    for worker in (worker_a, worker_b, worker_a, worker_b):
        monkeypatch.setattr(ratelimit, "cache", worker)
        answers.append(limit.hit(request))
    assert answers[:3] == [0, 0, 0]
    assert answers[3] > 0  # the fourth request, on the other worker, is over the limit
    worker_a.clear()
