"""The first run of an empty installation (docs/adopting.md, "The first-run page").

An installation is *empty* while it has neither a superuser nor a unit. Whoever can run
``manage.py`` on the server prints a one-time link (:func:`first_run_token_create`); only the
token's SHA-256 is stored, with an expiry. Spending the token creates the first administrator
(:func:`first_admin_create`) — one transaction that spends the token with a conditional update
and checks again that no superuser exists, so the link works once and a second visitor finds
nothing. That
administrator alone then names the organisation, adds units or loads an organisation file,
imports and publishes standards, and finishes (:func:`first_run_finish`): the page is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.core.errors import ApplicationError, NotFound, NotPermitted
from layanan.core.models import Unit

from .models import FirstRunToken

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile

    from layanan.accounts.actors import AnyActor
    from layanan.accounts.models import User
    from layanan.catalog.imports import ImportReport
    from layanan.core.orgfile import LoadReport

TOKEN_LIFETIME = dt.timedelta(hours=2)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def installation_is_empty() -> bool:
    """No superuser and no unit yet."""
    return (
        not get_user_model().objects.filter(is_superuser=True).exists()
        and not Unit.objects.exists()
    )


@transaction.atomic
def first_run_token_create(*, lifetime: dt.timedelta = TOKEN_LIFETIME) -> tuple[str, str]:
    """A new one-time token for an empty installation; returns (token, absolute URL).

    Earlier unspent tokens are withdrawn: only the newest printed link works."""
    if not installation_is_empty():
        raise ApplicationError(
            _("This installation is already set up: there is an administrator or a unit."),
            "already_set_up",
        )
    FirstRunToken.objects.filter(used_at__isnull=True).delete()
    raw = secrets.token_urlsafe(32)
    FirstRunToken.objects.create(token_hash=_hash(raw), expires_at=timezone.now() + lifetime)
    return raw, settings.SITE_URL + reverse("setup:start", args=[raw])


def valid_token(raw: str) -> FirstRunToken | None:
    """The unspent, unexpired token ``raw`` of an empty installation, else None."""
    if not raw or len(raw) > 200:
        return None
    token = FirstRunToken.objects.filter(
        token_hash=_hash(raw), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if token is None or not installation_is_empty():
        return None
    return token


@transaction.atomic
def first_admin_create(
    *, token: str, username: str, full_name: str, email: str, password: str
) -> User:
    """Spend ``token`` on the first administrator (a superuser). Refuses a spent, expired or
    unknown token, and any token once a superuser exists."""
    now = timezone.now()
    row = FirstRunToken.objects.filter(
        token_hash=_hash(token or ""), used_at__isnull=True, expires_at__gt=now
    ).first()
    # Spend the token first, with a conditional UPDATE: of two simultaneous requests only one
    # changes the row (on every database), the other stops here. A failure below rolls it back.
    spent = row is not None and FirstRunToken.objects.filter(
        pk=row.pk, used_at__isnull=True
    ).update(used_at=now)
    if row is None or not spent or not installation_is_empty():
        raise NotFound(_("This set-up link is not valid (any more)."))
    User = get_user_model()
    user = User(username=username, full_name=full_name, email=email)
    validate_password(password, user)
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    FirstRunToken.objects.filter(pk=row.pk).update(used_by=user)
    return user


def setup_in_progress_for(user: AnyActor) -> FirstRunToken | None:
    """The spent token of ``user``'s unfinished set-up (None: the page is not theirs, or gone)."""
    owner = user_or_none(user)
    if owner is None or not owner.is_superuser:
        return None
    return FirstRunToken.objects.filter(
        used_by=owner, used_at__isnull=False, finished_at__isnull=True
    ).first()


def _ensure_setting_up(actor: AnyActor) -> None:
    if setup_in_progress_for(actor) is None:
        raise NotPermitted(_("Only the administrator who started the set-up may continue it."))


def standards_import(
    *, actor: AnyActor, uploads: Iterable[UploadedFile], unit: Unit | None = None
) -> ImportReport:
    """Import uploaded standard documents with the catalogue's importer (drafts, not yet
    published); returns its ImportReport."""
    from layanan.catalog.imports import import_documents

    _ensure_setting_up(actor)
    with tempfile.TemporaryDirectory(prefix="layanan-setup-") as folder:
        paths = []
        for index, upload in enumerate(uploads):
            # One sub-folder per upload keeps the names people gave (shown in the report and
            # kept as the version's source) even when two files share a name.
            name = Path(upload.name or "").name or f"document-{index}"
            path = Path(folder) / f"{index:03d}" / name
            path.parent.mkdir()
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(path)
        report = import_documents(paths, unit=unit, actor=actor)
    for error in report.errors:
        error["source"] = Path(error["source"]).name
    return report


@transaction.atomic
def drafts_publish(*, actor: AnyActor, version_ids: Iterable[int]) -> int:
    """Publish the chosen drafts (the catalogue's ``version_publish``); returns how many."""
    from layanan.catalog.models import StandardVersion, VersionStatus
    from layanan.catalog.services import version_publish

    _ensure_setting_up(actor)
    count = 0
    versions = StandardVersion.objects.filter(pk__in=version_ids, status=VersionStatus.DRAFT)
    for version in versions:
        version_publish(actor=actor, version=version)
        count += 1
    return count


@transaction.atomic
def first_run_finish(*, actor: AnyActor) -> None:
    """End the set-up: the first-run page answers 404 from now on."""
    row = setup_in_progress_for(actor)
    if row is None:
        raise NotPermitted(_("Only the administrator who started the set-up may finish it."))
    if not Unit.objects.exists():
        raise ApplicationError(_("Name the organisation first."), "no_organisation")
    FirstRunToken.objects.filter(pk=row.pk).update(finished_at=timezone.now())


def organisation_create(*, actor: AnyActor, values: dict) -> Unit:
    """Name the organisation (the top unit) and its time zone."""
    from layanan.core.orgfile import unit_create

    _ensure_setting_up(actor)
    return unit_create(actor=actor, values=values, organisation=True)


def unit_add(*, actor: AnyActor, values: dict) -> Unit:
    """Add one unit below an existing one."""
    from layanan.core.orgfile import unit_create

    _ensure_setting_up(actor)
    return unit_create(actor=actor, values=values)


def organisation_file_load(*, actor: AnyActor, text: str) -> LoadReport:
    """Validate and load an uploaded organisation file (the same rules as the command)."""
    from layanan.core.orgfile import organisation_load, parse_organisation

    _ensure_setting_up(actor)
    return organisation_load(spec=parse_organisation(text), actor=actor)
