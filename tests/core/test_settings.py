"""Production settings pass Django's deployment checks; development needs nothing running."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from layanan.core.checks import check_static_manifest

ROOT = Path(__file__).resolve().parents[2]
# Django's manifest storage writes the same staticfiles.json as WhiteNoise's compressed one
# (which production uses) in a fraction of the time: no gzip/brotli copies of 150 files.
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """A STATIC_ROOT after `collectstatic --noinput`, with its manifest."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
    assert (root / "staticfiles.json").exists()
    return root


def _production(tmp_path, static_root: Path, *command: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-123456",
        "ALLOWED_HOSTS": "layanan.example.go.id",
        "SITE_URL": "https://layanan.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_ROOT": str(static_root),
    }
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path, collected):
    """`manage.py check --deploy --fail-level WARNING` passes with the documented production env
    once collectstatic has run."""
    result = _production(
        tmp_path, collected, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_the_static_manifest(tmp_path):
    """With DEBUG off and no collectstatic (or one run with DEBUG on, which writes no
    manifest), every page would answer 500: `check --deploy` fails with layanan.E001 and names
    the command to run."""
    empty = tmp_path / "static"
    empty.mkdir()
    result = _production(tmp_path, empty, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "layanan.E001" in result.stderr
    assert "manage.py collectstatic --noinput" in result.stderr
    # without --deploy (migrate runs these, before collectstatic in the install steps) it passes
    assert _production(tmp_path, empty, "manage.py", "check").returncode == 0


def test_the_web_process_refuses_to_start_without_the_manifest(tmp_path, collected):
    """gunicorn/uvicorn load layanan.wsgi/asgi: without the manifest they stop at once with the
    same message instead of answering 500 on every page; with it they start."""
    empty = tmp_path / "static"
    empty.mkdir()
    for module in ("layanan.wsgi", "layanan.asgi"):
        result = _production(tmp_path, empty, "-c", f"import {module}")
        assert result.returncode != 0, module
        assert "ImproperlyConfigured" in result.stderr
        assert "manage.py collectstatic --noinput" in result.stderr
    started = _production(tmp_path, collected, "-c", "import layanan.wsgi")
    assert started.returncode == 0, started.stderr


def test_manifest_check_in_process(tmp_path, collected):
    """The check itself: nothing to say for the development storage; E001 for a missing, an
    unreadable or a stale manifest (a static file added since collectstatic ran)."""
    assert check_static_manifest() == []  # tests run with the development storage
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path):
        assert [error.id for error in check_static_manifest()] == ["layanan.E001"]
        (tmp_path / "staticfiles.json").write_text("{not json")
        assert "cannot be read" in check_static_manifest()[0].msg
        manifest = json.loads((collected / "staticfiles.json").read_text())
        del manifest["paths"]["css/layanan.css"]
        (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
        errors = check_static_manifest()
        assert len(errors) == 1 and "css/layanan.css" in errors[0].msg
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=collected):
        assert check_static_manifest() == []


def test_production_refuses_to_start_without_secret_key(tmp_path):
    """DEBUG off without SECRET_KEY is a configuration error, not a silent insecure default."""
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
