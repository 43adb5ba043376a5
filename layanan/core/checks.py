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

``SITE_URL`` is the address printed in every poster's QR code and every link in a message to a
citizen. Left at a loopback address (the development default ``http://127.0.0.1:8000``), every
printed QR code and e-mailed link would lead nowhere: ``check --deploy`` warns with
``layanan.W001``, and the staff catalogue pages say so (``site_url_is_loopback``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Warning, register
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


def site_url_is_loopback(url: str | None = None) -> bool:
    """Whether ``SITE_URL`` (or ``url``) names this machine — localhost, 127.0.0.0/8, ::1 — so
    that a QR code or link made from it is dead on anybody else's phone."""
    host = (urlsplit(url if url is not None else settings.SITE_URL).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register("site_url", deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[Warning]:
    if not site_url_is_loopback():
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL}, an address of this machine: every poster's QR "
            "code and every link sent to a citizen would lead nowhere.",
            hint="Set SITE_URL to the public address of the site, e.g. "
            "https://layanan.kalbarprov.go.id (docs/operations.md).",
            id="layanan.W001",
        )
    ]
