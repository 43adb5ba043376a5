"""Permission checks for token-authenticated calls.

A token acts with its user's rights (accounts/permissions.py), optionally narrowed to some units:
a token limited to Biro Kesra acts on Biro Kesra and its divisions only, even when its user may
do more. It never widens anything. Endpoints call :func:`ensure_token_can` instead of
``ensure_can``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from layanan.accounts.permissions import ensure_can, unit_of
from layanan.core.errors import NotPermitted

from .models import ApiToken


def token_units(token: ApiToken) -> list:
    """The units the token is limited to ([]: not limited), fetched once per request."""
    cached = getattr(token, "_layanan_units", None)
    if cached is None:
        cached = list(token.units.order_by("path"))
        token._layanan_units = cached
    return cached


def token_reaches(token: ApiToken, obj: Any = None) -> bool:
    """True when the token's unit limit (if any) covers ``obj`` (a unit or an object with one).
    Calls not about one object (``obj`` None) are not narrowed."""
    limit = token_units(token)
    if not limit or obj is None:
        return True
    unit = unit_of(obj)
    return unit is not None and any(unit.is_within(allowed) for allowed in limit)


def ensure_token_can(request: HttpRequest, action: str, obj: Any = None) -> None:
    ensure_can(request.user, action, obj)
    if not token_reaches(request.auth, obj):
        raise NotPermitted(_("This token is limited to other units."), "token_out_of_scope")


def within_token_units(token: ApiToken, rows: QuerySet, prefix: str = "") -> QuerySet:
    """``rows`` (cases, or rows reaching their case through ``prefix``) narrowed to the token's
    unit limit, by the case's own unit as :func:`token_reaches` decides for one; unchanged for
    a token without a limit."""
    limit = token_units(token)
    if not limit:
        return rows
    within = Q(pk__in=[])
    for allowed in limit:
        within |= Q(**{f"{prefix}unit__path__startswith": allowed.path})
    return rows.filter(within)
