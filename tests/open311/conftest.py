"""Fixtures of the Open311 tests: the seed standards, fresh rate-limit counters, API keys."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from layanan.api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds(org):
    """The seed standards: Biro Kesra, Biro Perekonomian and Biro Umum take complaints."""
    call_command("load_demo", "--no-users", verbosity=0)
    return org


@pytest.fixture
def kesra_key(seeds, kesra_officer):
    """An API key of Biro Kesra's complaint officer."""
    return api_token_create(user=kesra_officer, name="Aplikasi warga")[1]


@pytest.fixture
def ekon_key(seeds, ekon_officer):
    """An API key of Biro Perekonomian's complaint officer (another unit)."""
    return api_token_create(user=ekon_officer, name="Aplikasi ekon")[1]
