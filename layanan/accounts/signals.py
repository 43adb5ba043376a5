"""Login bookkeeping: the login log, the session clock and the second-factor state.

``user_logged_in`` also fires for the test client's ``force_login``; everything here works
from the session alone afterwards, so a request never pays extra queries for it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from layanan.core.ratelimit import client_address

from .models import LoginRecord
from .twofactor import SESSION_KEY_2FA, twofactor_state_for

SESSION_KEY_LOGIN_AT = "layanan_login_at"
SESSION_KEY_LAST_SEEN = "layanan_last_seen"


def _ip(request) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(address))
    return None


def _agent(request) -> str:
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_logged_in, dispatch_uid="layanan_login_success")
def login_success(sender, request, user, **kwargs) -> None:
    LoginRecord.objects.create(
        user=user,
        username=user.get_username()[:150],
        ip_address=_ip(request),
        user_agent=_agent(request),
        success=True,
    )
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_KEY_LOGIN_AT] = now
        request.session[SESSION_KEY_LAST_SEEN] = now
        request.session[SESSION_KEY_2FA] = twofactor_state_for(user)


@receiver(user_login_failed, dispatch_uid="layanan_login_failure")
def login_failure(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    LoginRecord.objects.create(
        user=get_user_model().objects.filter(username=username).first() if username else None,
        username=username,
        ip_address=_ip(request),
        user_agent=_agent(request),
        success=False,
    )
