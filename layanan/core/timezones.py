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
(here).
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


def activate_unit_time_zone(unit: Unit) -> None:
    """Show the rest of this request in ``unit``'s zone (a page about one case or one unit);
    :class:`OrganisationTimeZoneMiddleware` switches it off after the response."""
    timezone.activate(unit_tzinfo(unit))


@receiver(post_save, sender=Unit, dispatch_uid="core.timezones.unit_saved")
@receiver(post_delete, sender=Unit, dispatch_uid="core.timezones.unit_deleted")
def _refresh_organisation_time_zone(sender, **kwargs) -> None:
    # Right away for this process (and the writing transaction), and once more after commit so
    # that a rolled-back change does not outlive the cache timeout.
    try:
        cache.set(CACHE_KEY, organisation_from_db(), CACHE_SECONDS)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
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
