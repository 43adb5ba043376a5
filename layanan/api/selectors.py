"""Reads of the API: token lookup and the public catalogue.

Query shapes are fixed here so that every endpoint runs a constant number of queries whatever
the size of the page or of a standard (tests pin them):

- unit list: count + page (with parents);
- standard list: [unit] + count + page (with unit and published version);
- one standard: the standard (with unit and published version) + one query per child table of
  the version (completion times, fees, complaint channels, complaint classes).

Visibility: only standards with a published version exist here, and only that version is shown
(drafts and archived versions stay on the staff pages and the public history page).
"""

from __future__ import annotations

import hmac

from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from layanan.catalog.models import ServiceStandard
from layanan.catalog.selectors import VERSION_CHILDREN
from layanan.core.errors import NotFound
from layanan.core.models import Unit

from .models import KEY_PREFIX, ApiToken
from .services import hash_key

PREFIX_LENGTH = 8
# Enough candidates to be useful in a 409 answer; a slug shared more widely is a data problem.
MAX_CANDIDATES = 20


# --- tokens -----------------------------------------------------------------------------------


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key this is (whatever its state), or None. One query."""
    head = len(KEY_PREFIX) + PREFIX_LENGTH
    if not key.startswith(KEY_PREFIX) or len(key) <= head + 1 or key[head] != "_":
        return None
    prefix = key[len(KEY_PREFIX) : head]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    return token


# --- units ------------------------------------------------------------------------------------


def unit_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").order_by("path")


def unit_by_slug(slug: str) -> Unit:
    try:
        return Unit.objects.get(slug=slug)
    except Unit.DoesNotExist:
        raise NotFound(_("There is no unit “%(slug)s”.") % {"slug": slug}, "unknown_unit") from None


# --- standards --------------------------------------------------------------------------------


def _published() -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.published().select_related("unit", "published_version")


def published_standard_list(*, unit: Unit | None = None) -> QuerySet[ServiceStandard]:
    """Published standards in catalogue order; ``unit`` includes the units below it."""
    standards = _published().order_by("unit__path", "position", "name", "pk")
    if unit is not None:
        standards = standards.filter(unit__path__startswith=unit.path)
    return standards


def _unknown_standard(slug: str) -> NotFound:
    return NotFound(
        _("There is no published service standard “%(slug)s”.") % {"slug": slug},
        "unknown_standard",
    )


def _with_children(standard: ServiceStandard) -> ServiceStandard:
    version = standard.published_version
    assert version is not None  # both callers look up published standards only
    prefetch_related_objects([version], *VERSION_CHILDREN)
    return standard


def published_standard_detail(*, unit_slug: str, slug: str) -> ServiceStandard:
    """A published standard with its published version and the version's child rows."""
    standard = _published().filter(unit__slug=unit_slug, slug=slug).first()
    if standard is None:
        unit_by_slug(unit_slug)  # an unknown unit says so
        raise _unknown_standard(slug)
    return _with_children(standard)


def published_standards_with_slug(*, slug: str) -> list[ServiceStandard]:
    """The published standards using ``slug`` (in any unit), at most MAX_CANDIDATES + 1, with
    the version's child rows fetched when there is exactly one. 404 when there is none."""
    matches = list(_published().filter(slug=slug).order_by("unit__path")[: MAX_CANDIDATES + 1])
    if not matches:
        raise _unknown_standard(slug)
    if len(matches) == 1:
        _with_children(matches[0])
    return matches
