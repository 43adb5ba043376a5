import pytest
from django.conf import settings
from django.core.cache import cache

from layanan.core.timezones import CACHE_KEY, CACHE_SECONDS


@pytest.fixture(autouse=True)
def _forget_organisation_time_zone():
    """Tests here load organisations in other zones; the cached default they leave behind
    (from a rolled-back transaction) must not reach later tests: reset it to the setting, which
    is what an empty database and the shipped organisation both give."""
    yield
    cache.set(CACHE_KEY, settings.TIME_ZONE, CACHE_SECONDS)
