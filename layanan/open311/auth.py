"""Who files: an Open311 ``api_key`` is an API token (``layanan.api``), sent as a parameter as
the spec says. Whether its user may file in the unit is the filing service's rule."""

from __future__ import annotations

from django.utils.translation import gettext as _

from layanan.api.models import ApiToken
from layanan.api.selectors import api_token_for_key

from .errors import Open311Error

KEY_MAX = 200


def api_token(key: str) -> ApiToken:
    """The usable token of ``key`` (the ``api_key`` parameter, read as text); 403 when it is
    missing, unknown, revoked, expired, or its user is inactive."""
    if not key:
        raise Open311Error(403, _("api_key is missing: filing a request needs an API key."))
    token = api_token_for_key(key[:KEY_MAX])
    if token is None or not token.user.is_active or not token.is_usable:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked or expired."))
    return token
