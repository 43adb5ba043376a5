"""Time zones: per organisation, optionally per unit (docs/adopting.md, "Time zones").

The one rule: a unit's zone is its own ``Unit.time_zone``, else that of its nearest ancestor
that has one; the top unit's zone is the *organisation's default*, and ``settings.TIME_ZONE`` is
only the fallback of an installation without units.

- The working-day calendar of a unit counts in the unit's zone
  (``workdays.deadlines.Calendar.for_unit``): 16:00 at a WITA office is 16:00 WITA.
- Every web request runs in the organisation's default zone
  (:class:`OrganisationTimeZoneMiddleware` activates it), so pages, forms and reports that are
  not about one unit speak the organisation's time; pages about one case show its unit's zone
  (:func:`unit_tzinfo`).

The default (with the organisation's name, shown in page footers) is read from the database once
and kept in the cache (shared between processes, Redis in production) — ``core.models``, beside
``Unit``, whose ``time_zone_name`` falls back to it; saving or deleting a unit refreshes it
(here). Pages about one unit or case show times in the unit's zone from a map of every unit's
zone kept beside it (:func:`display_time_zone_name`, refreshed the same way), so that showing
a case costs no query for its unit's ancestors; what *counts* in a zone (deadlines, letters)
reads the units themselves.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import CACHE_KEY, CACHE_SECONDS, Unit, organisation_from_db, organisation_time_zone

logger = logging.getLogger(__name__)


def unit_tzinfo(unit: Unit | None) -> ZoneInfo:
    """The zone a unit's times are shown and counted in (the organisation's when None)."""
    return ZoneInfo(unit.time_zone_name() if unit is not None else organisation_time_zone())


#: {unit pk: its zone} for every unit, resolved along the paths: what pages show times in.
ZONES_CACHE_KEY = "layanan:unit-zones"


def _unit_zones_from_db() -> dict[int, str]:
    """Every unit's zone (its own, else its nearest ancestor's, else the organisation's
    default), from one query over the units (a few dozen rows)."""
    rows = list(Unit.objects.values_list("pk", "path", "time_zone"))
    own = {pk: zone for pk, _path, zone in rows}
    default = organisation_time_zone()
    zones = {}
    for pk, path, _zone in rows:
        chain = [int(p) for p in path.strip("/").split("/") if p] or [pk]
        zones[pk] = next((own[p] for p in reversed(chain) if own.get(p)), default)
    return zones


def display_time_zone_name(unit: Unit) -> str:
    """``unit.time_zone_name()`` for showing times on a page, without the query for its
    ancestors: their zones are kept in the cache beside the organisation's (refreshed when a
    unit is saved or deleted, like it)."""
    return display_time_zone_of(unit.pk, unit.time_zone) or unit.time_zone_name()


def display_time_zone_of(unit_id: int | None, own_zone: str = "") -> str:
    """:func:`display_time_zone_name` of the unit ``unit_id`` whose own zone is ``own_zone``
    (for a page that read those two columns, not the unit)."""
    if own_zone:
        return own_zone
    zones = cache.get(ZONES_CACHE_KEY)
    if not isinstance(zones, dict) or unit_id not in zones:
        zones = _unit_zones_from_db()
        cache.set(ZONES_CACHE_KEY, zones, CACHE_SECONDS)
    return zones.get(unit_id) or organisation_time_zone()


def activate_unit_time_zone(unit: Unit) -> None:
    """Show the rest of this request in ``unit``'s zone (a page about one case or one unit);
    :class:`OrganisationTimeZoneMiddleware` switches it off after the response. Display only:
    the zone comes from the cache (:func:`display_time_zone_name`)."""
    timezone.activate(ZoneInfo(display_time_zone_name(unit)))


@receiver(post_save, sender=Unit, dispatch_uid="core.timezones.unit_saved")
@receiver(post_delete, sender=Unit, dispatch_uid="core.timezones.unit_deleted")
def _refresh_organisation_time_zone(sender, **kwargs) -> None:
    # Right away for this process (and the writing transaction), and once more after commit so
    # that a rolled-back change does not outlive the cache timeout.
    try:
        cache.set(CACHE_KEY, organisation_from_db(), CACHE_SECONDS)
        cache.delete(ZONES_CACHE_KEY)  # read again, from this transaction, when next needed
        transaction.on_commit(lambda: cache.delete_many([CACHE_KEY, ZONES_CACHE_KEY]))
    except Exception:
        # An unreachable cache must not stop a unit from being saved; it expires on its own.
        logger.warning("organisation cache not refreshed", exc_info=True)


class OrganisationTimeZoneMiddleware:
    """Runs every request in the organisation's default time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            zone = organisation_time_zone()
        except Exception:
            # The database is unreachable (or not to be touched): the page, /healthz included,
            # must still answer, in the installation's fallback zone.
            logger.warning("organisation time zone unavailable", exc_info=True)
            zone = settings.TIME_ZONE
        timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
