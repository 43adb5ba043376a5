"""Rate limits of Open311: the API's public rate per address on every call, the API's token
rate on filing, and the one lookup budget every tracking path shares for lookups by id
(``core.ratelimit.TRACKING_LOOKUPS``: the tracking pages, the API's ``track``)."""

from __future__ import annotations

import math

from django.http import HttpRequest

from layanan.core.ratelimit import TRACKING_LOOKUPS


class Open311Throttled(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def count_lookups(request: HttpRequest, count: int) -> None:
    """Count ``count`` lookups by id in the budget every lookup path shares: one per id asked,
    found or not. Raises :class:`Open311Throttled` past the budget."""
    wait = TRACKING_LOOKUPS.hit(request, count)
    if wait:
        raise Open311Throttled(wait)


def throttled(request: HttpRequest, throttle) -> int | None:
    """None when the call may proceed under ``throttle`` (one of the API's), else the seconds
    to wait."""
    if throttle.allow_request(request):
        return None
    wait = throttle.wait()
    return math.ceil(wait) if wait is not None else 60
