import pytest

from tests.factories import published_standard


@pytest.fixture
def kesra_walk_in(org):
    """Biro Kesra's walk-in consultation standard: requirements and "Administrasi : 15 Menit"
    (the factory's standard is shaped like the seed)."""
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
    )


@pytest.fixture
def ekon_walk_in(org):
    return published_standard(
        standard__unit=org["biro-perekonomian"],
        standard__name="Pelayanan Konsultasi Ekonomi",
        standard__slug="pelayanan-konsultasi",
    )
