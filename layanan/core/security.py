"""Web-layer security middleware: the second-factor gate and the idle-session timeout.

Both work from the session alone (no query per request): the login receivers in
``layanan.accounts.signals`` write the login time, the last-seen time and the second-factor
state when a user logs in.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from layanan.accounts.signals import SESSION_KEY_LAST_SEEN, SESSION_KEY_LOGIN_AT
from layanan.accounts.twofactor import (
    SESSION_KEY_2FA,
    STATE_ENROL,
    STATE_VERIFY,
    twofactor_state_for,
)

AUTH_SESSION_KEY = "_auth_user_id"
# last-seen is written at most this often, so browsing does not save the session each click
LAST_SEEN_RESOLUTION_SECONDS = 60


def _logged_in(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and AUTH_SESSION_KEY in session


class SecondFactorMiddleware:
    """Sends a logged-in user who still owes a second factor to verify (or enrol) first.

    Covers every page, the staff pages and the admin alike; only the two-factor pages
    themselves, logging out, switching language and static files stay reachable. Put it
    after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        exempt = (
            reverse("accounts:twofactor_verify"),
            reverse("accounts:twofactor_enrol"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            reverse("set_language"),
        )
        return path in exempt or path.startswith(settings.STATIC_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _logged_in(request):
            state = request.session.get(SESSION_KEY_2FA)
            if state is None:  # a session older than this check: work it out once
                state = twofactor_state_for(request.user)
                request.session[SESSION_KEY_2FA] = state
            if state in (STATE_VERIFY, STATE_ENROL) and not self._exempt(request.path):
                target = reverse(
                    "accounts:twofactor_verify"
                    if state == STATE_VERIFY
                    else "accounts:twofactor_enrol"
                )
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Logs out a session idle longer than SESSION_IDLE_TIMEOUT seconds, or older than
    SESSION_COOKIE_AGE since login (the absolute limit), with a message on the login page.

    SESSION_IDLE_TIMEOUT = 0 turns the idle check off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _logged_in(request):
            now = int(time.time())
            session = request.session
            idle_limit = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0))
            last_seen = session.get(SESSION_KEY_LAST_SEEN)
            login_at = session.get(SESSION_KEY_LOGIN_AT)
            idle = idle_limit and last_seen is not None and now - last_seen > idle_limit
            too_old = login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_KEY_LAST_SEEN] = now
        return self.get_response(request)
