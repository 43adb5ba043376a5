"""Shared by the browser journeys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a journey writes its screenshots: ``$LAYANAN_SCREENSHOTS`` when set (the docs'
    ``docs/screenshots``), else the test's temporary folder."""
    folder = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
