"""Rate limits: per client address for anonymous calls, per token for authenticated ones.

Rates come from settings (``API_THROTTLE_ANON`` / ``API_THROTTLE_TOKEN``, ninja's rate syntax,
e.g. "300/min") with generous defaults: many citizens can share one public address (an office,
a mobile carrier's NAT). Counters live in the default cache, so they are shared between
processes when the cache is Redis.

Lookups by tracking code are not limited here but by ``LookupThrottle``: ninja's face of the one
lookup budget that the tracking pages and Open311 share (``core.ratelimit.TRACKING_LOOKUPS``).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest
from ninja.conf import settings as ninja_settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle

from layanan.core.ratelimit import TRACKING_LOOKUPS, RateLimit

DEFAULT_ANON_RATE = "300/min"
DEFAULT_TOKEN_RATE = "1200/min"


class ClientAddressMixin:
    """The caller's address. X-Forwarded-For is only believed behind a proxy (BEHIND_PROXY
    sets SECURE_PROXY_SSL_HEADER), and then only its last entry, the one our proxy added; an
    explicit NINJA_NUM_PROXIES setting takes precedence."""

    def get_ident(self, request: HttpRequest) -> str | None:
        if ninja_settings.NUM_PROXIES is not None:
            return super().get_ident(request)
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            return forwarded.split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR")


class PublicThrottle(ClientAddressMixin, AnonRateThrottle):
    scope = "layanan_anon"

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, "API_THROTTLE_ANON", DEFAULT_ANON_RATE))


class TokenThrottle(AuthRateThrottle):
    scope = "layanan_token"

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, "API_THROTTLE_TOKEN", DEFAULT_TOKEN_RATE))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None  # anonymous calls are PublicThrottle's
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class LookupThrottle(BaseThrottle):
    """One lookup of the shared budget per call (``core.ratelimit.TRACKING_LOOKUPS``), per
    client address, counted in the default cache like the tracking pages' and Open311's."""

    def __init__(self, limit: RateLimit = TRACKING_LOOKUPS) -> None:
        self.limit = limit
        # ninja asks wait() right after allow_request() said no, in the same request context.
        self._wait: ContextVar[int] = ContextVar(f"lookup_wait_{id(self)}", default=0)

    def allow_request(self, request: HttpRequest) -> bool:
        retry_after = self.limit.hit(request)
        self._wait.set(retry_after)
        return not retry_after

    def wait(self) -> float | None:
        return float(self._wait.get()) or None


public_throttle = PublicThrottle()
token_throttle = TokenThrottle()
