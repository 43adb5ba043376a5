"""Backup and restore: scripts/backup-restore-check.sh, run for real on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="needs PostgreSQL and its client tools (pg_dump, pg_restore, psql)",
)
def test_backup_wipe_restore_gives_back_every_row_and_file():
    """The check script migrates a scratch database, adds cases with attachments, backs up,
    drops the database and deletes the files, restores, and compares every table (rows and a
    content checksum) and every file (SHA-256): it must report everything identical."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
    base = f"postgres://{user}{password}@{host}"
    env = os.environ | {
        "PG_BASE_URL": base,
        "CHECK_DB": f"layanan_backup_check_{os.getpid()}",
        "PYTHON": sys.executable,  # the interpreter running the tests (any checkout, any venv)
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "backup-restore-check.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "identical after backup, wipe and restore" in result.stdout


def test_restore_refuses_a_damaged_backup(tmp_path):
    """restore.sh checks the SHA-256 sums first: a damaged backup is not restored (exit 3) and
    nothing is touched."""
    backup = tmp_path / "2026-01-01T000000"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"dump")
    (backup / "media.tar.gz").write_bytes(b"files")
    subprocess.run(
        "sha256sum database.dump media.tar.gz > SHA256SUMS", shell=True, cwd=backup, check=True
    )
    (backup / "media.tar.gz").write_bytes(b"changed")
    media = tmp_path / "media"
    media.mkdir()
    (media / "keep.txt").write_text("x")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "restore.sh"), str(backup)],
        env=os.environ
        | {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3, result.stderr
    assert "checksum mismatch" in result.stderr
    assert (media / "keep.txt").exists()
