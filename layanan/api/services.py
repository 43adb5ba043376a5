"""Writes of the API app: creating, using and revoking tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from layanan.core.audit import audit_log
from layanan.core.models import AuditAction, Unit

from .models import KEY_PREFIX, ApiToken

if TYPE_CHECKING:
    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User

# last_used_at is bookkeeping, not an audit trail: write it at most once a minute per token so
# that a busy integration does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    """The SHA-256 of an API key as stored (``ApiToken.key_hash``): the key itself never is."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_assign_key(token: ApiToken) -> str:
    """Give an unsaved token a fresh key; returns the key, which is never stored."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token.prefix = prefix
    token.key_hash = hash_key(key)
    return key


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    units: Iterable[Unit] = (),
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its key (show the key once, then forget it)."""
    token = ApiToken(name=name, user=user, expires_at=expires_at, created_by=created_by)
    key = token_assign_key(token)
    token.save()
    units = list(units)
    if units:
        token.units.set(units)
    api_token_audit_created(actor=created_by, token=token, units=units)
    return token, key


def api_token_audit_created(
    *, actor: AnyActor | None, token: ApiToken, units: Iterable[Unit] = ()
) -> None:
    """The audit entry of a new token (here and in the admin): whose it is, its units and
    expiry — never its key."""
    audit_log(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        target=token,
        data={
            "for_user": token.user.get_username(),
            "units": sorted(unit.slug for unit in units),
            "expires_at": token.expires_at,
        },
    )


@transaction.atomic
def api_token_revoke(
    *, token: ApiToken, now: datetime | None = None, actor: AnyActor | None = None
) -> ApiToken:
    """Revoke a token (idempotent: the first revocation time is kept, and audited once)."""
    now = now or timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        audit_log(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKED,
            target=token,
            data={"for_user": token.user.get_username()},
        )
    return token


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Record that the token was used. Writes at most once per minute per token, with a
    conditional UPDATE so that concurrent requests do not all write. True when it wrote."""
    now = now or timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    updated = ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold), pk=token.pk
    ).update(last_used_at=now)
    if updated:
        token.last_used_at = now
    return bool(updated)
