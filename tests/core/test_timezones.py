"""Time zones per organisation and per unit (layanan.core.timezones)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from layanan.core.timezones import (
    CACHE_KEY,
    OrganisationTimeZoneMiddleware,
    organisation_time_zone,
    unit_tzinfo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_cache():
    """These tests change the organisation's zone: forget it afterwards so that no other test
    sees a zone from a rolled-back transaction."""
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


def seen_zone() -> str:
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    OrganisationTimeZoneMiddleware(view)(RequestFactory().get("/"))
    return seen["zone"]


def test_requests_run_in_the_organisations_zone(org, fresh_cache):
    """A request runs in the top unit's zone; changing it (e.g. in the admin) takes effect on
    the next request, and the zone is switched off again after the response."""
    assert seen_zone() == "Asia/Pontianak"
    root = org["pemprov-kalbar"]
    root.time_zone = "Asia/Makassar"
    root.save()
    assert organisation_time_zone() == "Asia/Makassar"
    assert seen_zone() == "Asia/Makassar"
    assert timezone.get_current_timezone_name() == "Asia/Pontianak"  # settings.TIME_ZONE


def test_an_empty_installation_uses_the_setting(settings, fresh_cache):
    """Without units the default is settings.TIME_ZONE."""
    settings.TIME_ZONE = "Asia/Jayapura"
    assert organisation_time_zone() == "Asia/Jayapura"


def test_a_unit_inherits_the_nearest_zone(org, fresh_cache):
    """A bureau without its own zone uses its ancestors'; a division under a bureau with its
    own zone uses the bureau's."""
    assert str(unit_tzinfo(org["kesra-bina-mental"])) == "Asia/Pontianak"
    kesra = org["biro-kesra"]
    kesra.time_zone = "Asia/Jayapura"
    kesra.save()
    bina_mental = type(kesra).objects.get(slug="kesra-bina-mental")
    assert str(unit_tzinfo(bina_mental)) == "Asia/Jayapura"
    assert str(unit_tzinfo(org["biro-umum"])) == "Asia/Pontianak"


def test_footer_names_the_organisation_from_its_data(client, org, fresh_cache):
    """The page footer shows the top unit's name (no organisation is written in templates);
    renaming it in the admin shows on the next page."""
    assert "Pemerintah Provinsi Kalimantan Barat</div></footer>" in client.get("/").content.decode()
    root = org["pemprov-kalbar"]
    root.name = "Pemerintah Provinsi Kalbar"
    root.save()
    assert "Pemerintah Provinsi Kalbar</div></footer>" in client.get("/").content.decode()
