"""System checks of the deployment, and the start-up check of the web process.

With DEBUG off the static files are served under hashed names from ``staticfiles.json``, the
manifest ``collectstatic`` writes (WhiteNoise's CompressedManifestStaticFilesStorage). Without it
— ``collectstatic`` never run, or run with DEBUG on (``make setup`` in a development shell), which
writes no manifest — every page that links a stylesheet answers 500. The same happens for a file
added since the last ``collectstatic`` (an upgrade without it).

- ``manage.py check --deploy`` reports it as ``layanan.E001`` (only with --deploy: ``migrate``
  runs the checks too and comes before ``collectstatic`` in the install steps);
- the web process refuses to start with the same message (``layanan/wsgi.py``, ``asgi.py``),
  rather than answering 500 on every page.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECTSTATIC = "manage.py collectstatic --noinput"
HINT = (
    f"Run `{COLLECTSTATIC}` with the production environment (DEBUG=false, the same "
    "STATIC_ROOT) after every install or upgrade; see docs/operations.md."
)


def _missing_from_manifest(known: dict) -> list[str]:
    """Static files the finders know that the manifest does not name."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    missing = []
    for finder in get_finders():
        for path, _storage in finder.list(ignore):
            name = path.replace("\\", "/")
            if name not in known:
                missing.append(name)
    return sorted(set(missing))


def static_manifest_errors() -> list[Error]:
    """[] when the static files can be served (or the storage needs no manifest)."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    location = getattr(storage, "location", "STATIC_ROOT")
    if not storage.manifest_storage.exists(storage.manifest_name):
        return [
            Error(
                f"The static files manifest {storage.manifest_name} is missing from {location}: "
                "with DEBUG off every page would answer 500.",
                hint=HINT,
                id="layanan.E001",
            )
        ]
    try:
        known, _hash = storage.load_manifest()
    except ValueError:
        return [
            Error(
                f"The static files manifest {storage.manifest_name} in {location} cannot be read.",
                hint=HINT,
                id="layanan.E001",
            )
        ]
    missing = _missing_from_manifest(known)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return [
            Error(
                f"{len(missing)} static file(s) are not in the manifest ({shown}): "
                "collectstatic was not run since they were added; pages using them answer 500.",
                hint=HINT,
                id="layanan.E001",
            )
        ]
    return []


@register("staticfiles_manifest", deploy=True)
def check_static_manifest(app_configs=None, **kwargs) -> list[Error]:
    return static_manifest_errors()


def ensure_static_manifest() -> None:
    """Called when the web process starts: refuse to serve 500s on every page."""
    errors = static_manifest_errors()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
