"""Where a member of staff lands after signing in: where their work is.

One place (``landing_url``), used by the login page and after the second factor. A ``next``
address (the page they were sent to log in from) always wins; without one:

- the head of unit → the dashboard (reports), the auditor too;
- the complaint officer and the handler → the inbox;
- the front desk → "Meja layanan" (the visitors' desk);
- anyone else (an administrator, a superuser without a role) → the inbox.

A person with several roles lands by the first of them in ``LANDING_ORDER`` that they hold.
"""

from __future__ import annotations

from django.urls import reverse

from .models import Role
from .permissions import roles_for

#: The role that decides the landing page, most decisive first, with where it lands.
LANDING_ORDER: tuple[tuple[str, str], ...] = (
    (Role.HEAD, "reports:dashboard"),
    (Role.COMPLAINT_OFFICER, "cases:inbox"),
    (Role.HANDLER, "cases:inbox"),
    (Role.FRONT_DESK, "visits:desk_home"),
    (Role.AUDITOR, "reports:dashboard"),
)
DEFAULT_LANDING = "cases:inbox"


def landing_url(user) -> str:
    """The page ``user`` starts on after signing in (when no ``next`` says otherwise)."""
    held = {role for role, _unit in roles_for(user)}
    for role, url_name in LANDING_ORDER:
        if role in held:
            return reverse(url_name)
    return reverse(DEFAULT_LANDING)
