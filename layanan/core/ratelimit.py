"""Rate limits per client address for public pages (forms, kiosks, lookups by code).

A fixed-window counter in the default cache (Redis in production, so every process shares
it); the address is hashed, so the cache holds none in clear. Limits are ``(requests,
seconds)`` tuples from settings, so each can be tuned without code.

``TRACKING_LOOKUPS`` is the one budget of every lookup of a case by its code or id, whatever
the path: the tracking pages (``/lacak/``, and the booking and audience status pages), the API
(``GET /api/v1/track/{code}``, through ``api.throttling.LookupThrottle``) and Open311
(``requests/{id}``, ``tokens/{id}`` and ``requests?service_request_id=``, one lookup per id
asked). Setting ``TRACKING_LOOKUP_RATE``.

``PUBLIC_SUBMISSIONS`` is the one budget of the public request forms (complaint, audience,
facility): setting ``COMPLAINT_SUBMIT_RATE`` (its name from when the complaint form was the
only one).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The caller's address. X-Forwarded-For is believed only behind our proxy (BEHIND_PROXY
    sets SECURE_PROXY_SSL_HEADER), and then only its last entry, the one our proxy added."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class RateLimit:
    """A fixed-window counter per client address in the default cache."""

    scope: str
    setting: str
    default: tuple[int, int]

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting, self.default)[0]

    @property
    def window(self) -> int:
        return getattr(settings, self.setting, self.default)[1]

    def _key(self, request: HttpRequest) -> tuple[str, int]:
        now = int(time.time())
        bucket = now // self.window
        # Hashed: the cache holds no address in clear.
        ident = hashlib.sha256(client_address(request).encode()).hexdigest()[:20]
        retry_after = (bucket + 1) * self.window - now
        return f"rl:{self.scope}:{ident}:{bucket}", retry_after

    def exceeded(self, request: HttpRequest) -> int:
        """Seconds until the window ends when the limit is used up, else 0 (counts nothing)."""
        key, retry_after = self._key(request)
        return retry_after if (cache.get(key) or 0) >= self.limit else 0

    def hit(self, request: HttpRequest, count: int = 1) -> int:
        """Count ``count`` requests (e.g. the ids of one call); return the seconds to wait when
        that goes over the limit, else 0. Refused requests count too, so hammering on past the
        limit does not earn a new try."""
        key, retry_after = self._key(request)
        count = max(1, count)
        if cache.add(key, count, timeout=self.window + 1):
            total = count
        else:
            try:
                total = cache.incr(key, count)
            except ValueError:  # expired between add and incr
                cache.set(key, count, timeout=self.window + 1)
                total = count
        return retry_after if total > self.limit else 0


#: Lookups of cases by tracking code or id, on every path (see the module doc): 120 per 10
#: minutes per address by default. Every lookup counts, found or not.
TRACKING_LOOKUPS = RateLimit("lookup", "TRACKING_LOOKUP_RATE", (120, 600))

#: POSTs of the public request forms — complaint, audience, facility; valid or not: 20 per 10
#: minutes per address by default.
PUBLIC_SUBMISSIONS = RateLimit("submit", "COMPLAINT_SUBMIT_RATE", (20, 10 * 60))
