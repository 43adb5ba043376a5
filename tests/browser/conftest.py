"""Shared fixtures of the browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: ``$LAYANAN_SCREENSHOTS`` when set (``docs/screenshots`` refreshes
    the repository's pictures), else the test's temporary folder."""
    folder = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
