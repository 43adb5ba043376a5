"""``/favicon.ico``: browsers ask for it at the root whatever the page links to."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.http import require_GET

#: A month: the icon hardly ever changes, and a stale one harms nobody.
FAVICON_MAX_AGE = 30 * 24 * 3600


@cache
def _favicon() -> bytes:
    with open(finders.find("img/favicon.ico"), "rb") as fh:
        return fh.read()


@require_GET
def favicon(request):
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}, immutable"
    return response
