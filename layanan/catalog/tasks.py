"""Background tasks of the catalogue (``django.tasks``; the database backend by default), and
the helpers that enqueue them."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django_scopes import scopes_disabled

from .models import ServiceStandard
from .poster import poster_file_name, store_poster

logger = logging.getLogger("layanan.catalog.poster")


@task
@scopes_disabled()  # SYSTEM, a background task (the catalogue is public anyway)
def render_poster(standard_id: int) -> str:
    """Render the poster of a published standard and store it, so the first person who clicks
    "poster" gets a file instead of waiting for WeasyPrint. Enqueued when a version is
    published and when the unit's details printed on it change. Returns the stored name ("" for
    a standard no longer published)."""
    standard = (
        ServiceStandard.objects.select_related("unit", "published_version")
        .filter(pk=standard_id, published_version__isnull=False)
        .first()
    )
    if standard is None:
        return ""
    store_poster(standard)
    return poster_file_name(standard)


def poster_render_soon(standard: ServiceStandard) -> None:
    """Ask the task worker to render ``standard``'s poster once the current transaction commits.
    If the task backend cannot take it, the poster is rendered on its first request instead."""

    def enqueue():
        try:
            render_poster.enqueue(standard.pk)
        except Exception:
            logger.warning(
                "Could not enqueue the poster of standard %s", standard.pk, exc_info=True
            )

    transaction.on_commit(enqueue)
