"""Rate limits: per client address for anonymous calls, per token for authenticated ones.

Rates come from settings (``API_THROTTLE_ANON`` / ``API_THROTTLE_TOKEN``, ninja's rate syntax,
e.g. "300/min") with generous defaults: many citizens can share one public address (an office,
a mobile carrier's NAT). Counters live in the default cache, so they are shared between
processes when the cache is Redis.

Filing (complaints, facility and audience requests) without a token has its own budgets per
address (``PublicRateThrottle``); with a token, the token's usual one (``FilingTokenThrottle``).
Lookups by tracking code are limited by ``LookupThrottle``: ninja's face of the one lookup
budget that the tracking pages and Open311 share (``core.ratelimit.TRACKING_LOOKUPS``).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest
from ninja.conf import settings as ninja_settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle, SimpleRateThrottle

from layanan.core.ratelimit import TRACKING_LOOKUPS, RateLimit

from .models import ApiToken

DEFAULT_ANON_RATE = "300/min"
DEFAULT_TOKEN_RATE = "1200/min"
DEFAULT_SUBMIT_RATE = "20/h"


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


class PublicRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Per client address, for calls without a token, with its own budget (``scope``) and rate
    (a setting in ninja's rate syntax, read when the process starts)."""

    def __init__(self, scope: str, setting: str, default: str) -> None:
        self.scope = scope
        super().__init__(rate=getattr(settings, setting, default))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FilingTokenThrottle(TokenThrottle):
    """The token's usual budget, on an endpoint that the public may call too."""

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if not isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return super().get_cache_key(request)


public_throttle = PublicThrottle()
token_throttle = TokenThrottle()
filing_token_throttle = FilingTokenThrottle()

# Filing: a few requests an hour per address, valid or not (many citizens may share one
# address, so not fewer); complaints have their budget, facility and audience requests share
# another. Tracking: the one lookup budget shared with the tracking pages and Open311
# (core.ratelimit.TRACKING_LOOKUPS), so that guessing codes can neither hide in catalogue
# traffic nor move to another path.
complaint_submit_throttle = PublicRateThrottle(
    "layanan_complaint_submit", "API_THROTTLE_COMPLAINT", DEFAULT_SUBMIT_RATE
)
booking_submit_throttle = PublicRateThrottle(
    "layanan_booking_submit", "API_THROTTLE_BOOKING", DEFAULT_SUBMIT_RATE
)
track_throttle = LookupThrottle()
