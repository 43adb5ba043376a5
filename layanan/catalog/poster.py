"""The printable A4 poster of a published service standard, and its QR code.

The poster is an HTML template rendered by WeasyPrint with DejaVu fonts (installed with the
system, nothing fetched). It always speaks the site's default language (``LANGUAGE_CODE``): it is
printed for the office wall, not for one visitor. Long standards are shrunk until they fit on one
page: the whole poster is sized in ``rem``, and the root font size steps down until WeasyPrint lays
it out on a single page (or the smallest readable size is reached).

The QR code (``segno``, pure Python, SVG so no Pillow) encodes the absolute public address of
the standard page: ``settings.SITE_URL`` + the page's path.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import uuid

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import translation

from layanan.workdays.office_hours import weekly_hours

from .models import ServiceStandard, StandardVersion
from .selectors import component_views, prefetch_version_children

logger = logging.getLogger(__name__)

# The root font size (pt) is searched between these bounds: the largest that fits on one page.
FONT_MAX = 14.0
FONT_MIN = 6.5
FONT_SEARCH_STEPS = 4  # bisections after the first try: ~0.5 pt resolution, at most 6 renders
# Bump when the template or the CSS changes, so cached and stored posters and ETags are renewed.
POSTER_REVISION = "6"  # 6: the unit's office hours in the header


def public_url(standard: ServiceStandard) -> str:
    """The absolute address of the standard's public page (what the QR code encodes)."""
    return settings.SITE_URL + standard.get_absolute_url()


def make_qr(url: str) -> segno.QRCode:
    # Error correction "M" survives a scuffed or partly covered print.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 4, border: int = 2) -> bytes:
    """A standalone SVG document of the QR code for ``url``."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="svg", scale=scale, border=border, xmldecl=True, title=url)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data URI, for embedding in the poster."""
    return make_qr(url).svg_data_uri(scale=4, border=2)


def content_changed_at(standard: ServiceStandard):
    """When anything printed on the poster last changed: the version or the unit's contacts."""
    version = standard.published_version
    stamps = [stamp for stamp in (version.updated_at, standard.unit.updated_at) if stamp]
    return max(stamps) if stamps else None


def poster_key(standard: ServiceStandard) -> str:
    """Identity of a poster's content: changes when the published version, the unit's contacts,
    its office hours, the public address or the poster design change. Used as ETag and cache
    key. (Office hours are rows of their own, so their words are part of the key: a changed week
    never serves the poster of the old one.)"""
    version = standard.published_version
    changed = content_changed_at(standard)
    with translation.override(settings.LANGUAGE_CODE):
        hours = str(weekly_hours(standard.unit))
    raw = "|".join(
        [
            POSTER_REVISION,
            hours,
            str(version.pk),
            changed.isoformat() if changed else "",
            settings.SITE_URL,
            settings.LANGUAGE_CODE,
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def poster_context(standard: ServiceStandard, version: StandardVersion) -> dict:
    url = public_url(standard)
    unit = standard.unit
    return {
        "standard": standard,
        "version": version,
        "unit": unit,
        "unit_chain": unit.ancestors(include_self=False),
        "components": component_views(version),
        "public_url": url,
        "qr_data_uri": qr_data_uri(url),
        "office_hours": weekly_hours(unit),
    }


def poster_html(standard: ServiceStandard, version: StandardVersion, *, font_pt: float) -> str:
    """The HTML WeasyPrint lays out, at one root font size."""
    context = poster_context(standard, version)
    # A plain string: a float would be localised ("11,0") by the template in Indonesian.
    context["root_font_size"] = f"{font_pt:.2f}pt"
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("catalog/poster.html", context)


def render_poster_pdf(standard: ServiceStandard, version: StandardVersion | None = None) -> bytes:
    """Render the poster to PDF bytes, shrinking the type until it fits on one A4 page."""
    from weasyprint import HTML

    version = prefetch_version_children(version or standard.published_version)

    def render(font_pt: float):
        return HTML(string=poster_html(standard, version, font_pt=font_pt)).render()

    # Short standards print large; long ones shrink. Bisect for the largest size that fits.
    document = render(FONT_MAX)
    if len(document.pages) > 1:
        fitting, low, high = None, FONT_MIN, FONT_MAX
        for _step in range(FONT_SEARCH_STEPS):
            middle = (low + high) / 2
            attempt = render(middle)
            if len(attempt.pages) == 1:
                fitting, low = attempt, middle
            else:
                high = middle
        document = fitting or render(FONT_MIN)
        if len(document.pages) > 1:
            logger.warning(
                "Poster of %s/%s v%s does not fit on one page even at %spt",
                standard.unit.slug,
                standard.slug,
                version.number,
                FONT_MIN,
            )
    return document.write_pdf()


# --- the stored poster -------------------------------------------------------------------------
#
# Rendering takes seconds (WeasyPrint, up to six layouts for a long standard), so nobody who clicks
# "poster" should wait for it: the poster is rendered when the standard is published (a task,
# ``catalog.tasks.render_poster``) and kept in the ``posters`` storage under its content key
# (``poster_key``). The page serves that file; a poster not rendered yet (a worker that is
# behind, contacts that changed since) is rendered once on demand and kept.


def poster_storage():
    return storages["posters"]


def poster_file_name(standard: ServiceStandard) -> str:
    """Where the poster of the published version is kept: one name per content key, so a
    changed standard, unit contact or design never serves a stale file."""
    return f"{standard.unit.slug}/{standard.slug}/{poster_key(standard)}.pdf"


def store_poster(standard: ServiceStandard) -> bytes:
    """Render the poster of the published version and keep it (replacing earlier renderings of
    this standard). Returns the PDF."""
    pdf = render_poster_pdf(standard, standard.published_version)
    storage = poster_storage()
    name = poster_file_name(standard)
    folder = name.rsplit("/", 1)[0]
    # Write under a scratch name, then move it into place: a reader never sees half a file.
    scratch = storage.save(f"{folder}/.{uuid.uuid4().hex}.tmp", ContentFile(pdf))
    try:
        os.replace(storage.path(scratch), storage.path(name))
    except NotImplementedError:  # a storage without local paths
        storage.delete(scratch)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(pdf))
    _, files = storage.listdir(folder)
    for other in files:
        if f"{folder}/{other}" != name and other.endswith(".pdf"):
            storage.delete(f"{folder}/{other}")
    return pdf


def stored_poster_pdf(standard: ServiceStandard) -> bytes:
    """The poster of the published version: the stored file (no rendering), or — when it has not
    been rendered yet — rendered now and stored for the next reader."""
    try:
        with poster_storage().open(poster_file_name(standard), "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        logger.info(
            "Poster of %s/%s not stored yet: rendering on demand", standard.unit.slug, standard.slug
        )
        return store_poster(standard)
