"""Two-factor authentication (TOTP through django-otp): who needs it and in what state a
session is.

After the password, a session is in one of three states, kept in the session itself so that
checking it costs no query (see ``layanan.core.security.SecondFactorMiddleware``):

- ``"ok"``: nothing more to do (no device and not required, or the code was given);
- ``"verify"``: the user has a confirmed authenticator and must type its current code;
- ``"enrol"``: the user's role requires a second factor (settings.OTP_REQUIRED_FOR_ROLES,
  and superusers whenever that setting is not empty) but no authenticator is set up yet.

Users whose role does not require it may still turn it on; once on, it is asked at every
login like for everyone else.
"""

from __future__ import annotations

from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership

SESSION_KEY_2FA = "layanan_2fa"
STATE_OK = "ok"
STATE_VERIFY = "verify"
STATE_ENROL = "enrol"


def twofactor_required(user) -> bool:
    """Whether the user's roles require a second factor (admin, head; superusers)."""
    roles = tuple(getattr(settings, "OTP_REQUIRED_FOR_ROLES", ()))
    if not roles or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=roles).exists()


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            return device
    return None


def twofactor_state_for(user) -> str:
    """The state a fresh session of ``user`` starts in (see the module docstring)."""
    if confirmed_device(user) is not None:
        return STATE_VERIFY
    if twofactor_required(user):
        return STATE_ENROL
    return STATE_OK
