"""Token authentication: ``Authorization: Bearer <key>`` (``Token <key>`` is accepted too).

No header: ninja answers 401 ``not_authenticated``. A header with a key that does not work
answers 401 with a precise code: ``invalid_token``, ``token_revoked`` or ``token_expired``.
Revocation and expiry are only told to a caller holding the real key (the hash is checked first),
so the codes reveal nothing to someone guessing.

Endpoints the public may call as well (filing) take ``auth=[token_auth, public_caller]``: no
token means the public (``PUBLIC``); a token that does not work is still a 401.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security.http import HttpAuthBase

from .errors import NotAuthenticated
from .models import ApiToken
from .selectors import api_token_for_key
from .services import api_token_touch

SCHEMES = {"bearer", "token"}


class TokenAuth(HttpAuthBase):
    openapi_scheme = "bearer"
    openapi_description = (
        "An API token created by an administrator (admin → API tokens), sent as "
        "`Authorization: Bearer <token>`. The token acts with its user's roles, optionally "
        "limited to some units."
    )

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get("Authorization", "").strip()
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() not in SCHEMES:
            return None  # another scheme: not ours, answered as "not authenticated"
        token = api_token_for_key(key.strip())
        if token is None or not token.user.is_active:
            raise NotAuthenticated(_("The token is not valid."), "invalid_token")
        if token.is_revoked:
            raise NotAuthenticated(_("The token has been revoked."), "token_revoked")
        if token.is_expired():
            raise NotAuthenticated(_("The token has expired."), "token_expired")
        api_token_touch(token=token)
        request.user = token.user
        return token


token_auth = TokenAuth()


class PublicCaller:
    """``request.auth`` of a filing without a token: a member of the public."""

    def __str__(self) -> str:
        return "public"


PUBLIC_CALLER = PublicCaller()


def public_caller(request: HttpRequest) -> PublicCaller:
    """Second authenticator of the filing: no token means the public. A token that does not
    work is still a 401 (``token_auth`` raises before this runs)."""
    return PUBLIC_CALLER
