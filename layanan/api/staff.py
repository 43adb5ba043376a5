"""Staff endpoints (token authentication)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from layanan.accounts.models import Membership

from .auth import token_auth
from .permissions import ensure_token_can, token_units
from .schemas import ErrorOut, MeOut
from .throttling import token_throttle

router = Router(tags=["staff"], auth=token_auth, throttle=[token_throttle])


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut},
    url_name="me",
    summary="The user and token making the call",
)
def me(request: HttpRequest):
    """Who the token acts for: the user, their unit memberships (unit slug and role) and the
    token itself. 403 `permission_denied` for a user without any staff role."""
    user = request.user
    token = request.auth
    ensure_token_can(request, "api.use_staff")
    memberships = Membership.objects.filter(user=user).select_related("unit")
    units = [unit.slug for unit in token_units(token)]
    return {
        "username": user.get_username(),
        "full_name": user.display_name,
        "email": user.email,
        "is_superuser": user.is_superuser,
        "memberships": [
            {
                "unit": m.unit.slug,
                "unit_name": m.unit.name,
                "role": m.role,
                "role_label": str(m.get_role_display()),
            }
            for m in memberships.order_by("unit__path", "role")
        ],
        "token": {
            "name": token.name,
            "prefix": token.display_prefix,
            "units": units or None,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
    }
