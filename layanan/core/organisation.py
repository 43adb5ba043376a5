"""The organisation Layanan ships with, as data: ``data/organisations/kalbar.toml``.

Nothing organisation-specific lives in Python: the unit tree, contacts, office hours and time
zones are read from an organisation file (format: docs/adopting.md; loader:
``layanan.core.orgfile``). ``ensure_organisation()`` stays as the thin entry point used by
``load_demo`` and the test suite's ``org`` fixture.
"""

from __future__ import annotations

from pathlib import Path

from .models import Unit
from .orgfile import SHIPPED_ORGANISATION, load_organisation_file


def ensure_organisation(path: str | Path | None = None) -> dict[str, Unit]:
    """Load an organisation file (default: the shipped one), idempotently; units by slug."""
    return load_organisation_file(path or SHIPPED_ORGANISATION).units
