"""The public pages of a request found by its tracking code — the one lookup behind the status
page of an audience request, of a facility request, and their letters.

A tracking code is its holder's secret (``cases/numbering.py``): the page answers whoever holds
it, and nobody else learns anything — an unknown code costs the client one lookup of the shared
budget (``core/ratelimit.TRACKING_LOOKUPS``, the complaint tracking page's too) and gets the
404; past the budget, the 429 page. A code typed in any spelling (lower case, spaces, no
dashes) is redirected to its canonical ``ABCD-EFGH-JKMN`` address, so one request has one URL.
The complaint tracking page spends the budget on every lookup, found or not
(``complaints/public_views._by_code``): it is the page guessers try first.

Responses are ``private, no-store`` and ``noindex``: a shared cache must not keep a page that a
secret opened.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from layanan.core.ratelimit import TRACKING_LOOKUPS

from .models import Case, CaseKind
from .numbering import format_public_code, normalise_public_code

#: The status page of each kind of request that has one (URL names); the complaint tracking
#: page sends a request's code there.
STATUS_PAGES: dict[str, str] = {
    CaseKind.AUDIENCE: "audience:status",
    CaseKind.FACILITY: "bookings_public:status",
}


def public_status_url(case: Case) -> str:
    """The absolute link to the public status page of ``case`` (an audience or facility
    request; its tracking code is the key — for its requester only)."""
    path = reverse(STATUS_PAGES[case.kind], kwargs={"code": format_public_code(case.public_code)})
    return settings.SITE_URL + path


def status_page_after_sending(case: Case) -> HttpResponse:
    """Where the public form sends its requester: 303 to the request's status page with
    ``?baru=1`` (the page then says it was just sent), private."""
    url = reverse(STATUS_PAGES[case.kind], kwargs={"code": format_public_code(case.public_code)})
    response = HttpResponseRedirect(url + "?baru=1")
    response.status_code = 303
    return private_response(response)


def private_response(response: HttpResponse, *, noindex: bool = True) -> HttpResponse:
    """Mark ``response`` as one person's: never stored by a shared cache (nor, with
    ``noindex``, listed by a search engine)."""
    patch_cache_control(response, private=True, no_store=True)
    if noindex:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def too_many_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 page of every public rate limit: how many minutes to wait, and that nothing
    typed is lost."""
    response = render(
        request,
        "complaints/public/rate_limited.html",
        {"minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return private_response(response)


class UnknownCode(Exception):
    """Raised by a view behind :func:`case_by_code` when the case it was given must be
    answered as if the code were unknown (e.g. a letter asked for before it is issued): the
    client pays one lookup and gets the 404."""


def request_status_page(code: str) -> str | None:
    """The URL name of the status page of the request (not a complaint) with this normalised
    code, or None. Reads the kind only, in one query."""
    kind = (
        Case.objects.filter(public_code=code, kind__in=list(STATUS_PAGES))
        .values_list("kind", flat=True)
        .first()
    )
    return STATUS_PAGES.get(kind) if kind else None


def case_by_code(
    *, kind: str, related: Iterable[str] = (), canonical: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a public view ``view(request, case, code)`` of the ``kind`` request whose
    tracking code is in the URL (``<str:code>``).

    The decorated view is called with the case (``related`` joined in the same query) and the
    code in its canonical spelling. An unknown or malformed code — or the view raising
    :class:`UnknownCode` — spends one lookup of the client's budget and answers 404, or 429
    past it. With ``canonical``, a code in another spelling is redirected (``?baru=1``, the
    "just sent" flag, kept) to the kind's status page (:data:`STATUS_PAGES`).
    """
    related = tuple(related)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, code: str) -> HttpResponse:
            normal = normalise_public_code(code)
            cases = Case.objects.filter(public_code=normal, kind=kind)
            case = (
                (cases.select_related(*related) if related else cases).first() if normal else None
            )
            try:
                if case is None:
                    raise UnknownCode
                pretty = format_public_code(case.public_code)
                if canonical and code != pretty:
                    query = "?baru=1" if request.GET.get("baru") else ""
                    url = reverse(STATUS_PAGES[kind], kwargs={"code": pretty})
                    return private_response(HttpResponseRedirect(url + query))
                return view(request, case, pretty)
            except UnknownCode:
                retry_after = TRACKING_LOOKUPS.hit(request)
                if retry_after:
                    return too_many_response(request, retry_after)
                raise Http404 from None

        return wrapper

    return decorate
