"""Fixtures of the evaluation tests: Kesra's published standard (so it has a cadence), the head
of another unit, a superuser without a role."""

from __future__ import annotations

import pytest

from layanan.accounts.models import Role
from tests.factories import MembershipFactory, UserFactory, published_standard


@pytest.fixture
def kesra_standard(org):
    return published_standard(
        standard__unit=org["biro-kesra"], standard__name="Konsultasi", standard__slug="konsultasi"
    )


@pytest.fixture
def ekon_head(org):
    user = UserFactory(username="ekon.head", full_name="Kepala Biro Perekonomian")
    MembershipFactory(user=user, unit=org["biro-perekonomian"], role=Role.HEAD)
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
