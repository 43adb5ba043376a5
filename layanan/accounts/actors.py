"""Who acts when no staff member does: the explicit ``PUBLIC`` and ``SYSTEM`` actors.

Every service takes an ``actor``. A staff member is their ``User``; the two other kinds of
actor are named here, so that "no actor" is never a silent way around a permission check:

- ``PUBLIC``: a citizen on a public surface (the complaint, audience and facility forms, the
  kiosk, the tracking page, the API's public endpoints). It is refused every permission in
  ``accounts/permissions.py``, so it can do only what a service allows the public outright
  (file through the web, reopen one's own closed case by its code).
- ``SYSTEM``: a management command, a background task, the SLA sweep, retention, the demo
  loader. It is granted every permission: those run by the operator's decision, not on
  anyone's request.

``None`` is refused (``TypeError``) by :func:`~layanan.accounts.permissions.can` and by the
services that record events, so forgetting to pass an actor fails loudly instead of skipping
the check. Events recorded by either actor store no user: the timeline shows them as the
requester or the system, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layanan.accounts.models import User


class Actor:
    """A non-user actor. Looks like an anonymous user to code that asks ``is_authenticated``."""

    is_authenticated = False
    is_anonymous = True
    is_active = False
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<Actor {self.name}>"

    def __reduce__(self):
        return self.name  # pickles as the module-level singleton


PUBLIC = Actor("PUBLIC")
SYSTEM = Actor("SYSTEM")

# What a service's ``actor`` parameter accepts: a staff member, PUBLIC or SYSTEM.
type AnyActor = User | Actor


def require_actor(actor: AnyActor | None) -> AnyActor:
    """Return ``actor``; ``None`` is an error, never "skip the check"."""
    if actor is None:
        raise TypeError(
            "actor is required: pass the acting User, "
            "layanan.accounts.actors.PUBLIC or layanan.accounts.actors.SYSTEM"
        )
    return actor


def user_or_none(actor: AnyActor | None) -> User | None:
    """The ``User`` behind ``actor`` for a foreign key (``None`` for PUBLIC and SYSTEM)."""
    require_actor(actor)
    return actor if getattr(actor, "is_authenticated", False) else None
