import pytest
from django.core.cache import cache

from layanan.core.timezones import CACHE_KEY


@pytest.fixture(autouse=True)
def _forget_organisation_time_zone():
    """Tests here load organisations in other zones; the cached default they leave behind
    (from a rolled-back transaction) must not reach later tests."""
    yield
    cache.delete(CACHE_KEY)
