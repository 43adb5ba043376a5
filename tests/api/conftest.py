"""Fixtures of the API tests: a clean rate-limit state, tokens, and an authorised client."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from layanan.api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_token():
    def make(user, **kwargs):
        kwargs.setdefault("name", "Test integration")
        return api_token_create(user=user, **kwargs)

    return make


@pytest.fixture
def kesra_token(kesra_officer, make_token):
    """(token, key) for Biro Kesra's complaint officer."""
    return make_token(kesra_officer)
