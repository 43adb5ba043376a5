"""The unit's *Maklumat Pelayanan* (service pledge): its writes, its reads and its PDF.

Who: the unit's administrator or head edits it (rule ``catalog.edit``, in the admin); it is
public once confirmed — a page per unit and an A4 PDF with the unit's letterhead, beside the
posters. A draft is seen by the unit's staff only (``catalog.view_unpublished``), marked DRAFT.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import can, ensure_can
from layanan.core.audit import audit_log
from layanan.core.letters import indonesian_date, paragraphs_html, render_pdf
from layanan.core.models import AuditAction, Unit

from .models import ServicePledge

PLEDGE_FIELDS = (
    "text",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
    "place",
    "signed_on",
    "confirmed",
)


@transaction.atomic
def pledge_save(*, actor, pledge: ServicePledge) -> ServicePledge:
    """Create or change a unit's pledge (all fields at once); audited with the changed fields.
    Confirming stamps when; un-confirming takes it off the public site again."""
    ensure_can(actor, "catalog.edit", pledge.unit)
    pledge.full_clean(exclude=["updated_by"])
    before = (
        ServicePledge.objects.select_for_update().filter(pk=pledge.pk).first()
        if pledge.pk
        else None
    )
    if before is not None and before.unit_id != pledge.unit_id:
        raise ValidationError({"unit": _("A pledge stays with its unit.")})
    changed = [
        f for f in PLEDGE_FIELDS if before is None or getattr(before, f) != getattr(pledge, f)
    ]
    if pledge.confirmed and (before is None or not before.confirmed):
        pledge.confirmed_at = timezone.now()
    if not pledge.confirmed:
        pledge.confirmed_at = None
    pledge.updated_by = user_or_none(actor)
    pledge.save()
    audit_log(
        actor=actor,
        action=AuditAction.PLEDGE_CHANGED,
        target=pledge,
        unit=pledge.unit,
        data={"changed": changed, "confirmed": pledge.confirmed},
    )
    return pledge


def pledge_for_page(*, unit_slug: str, user) -> ServicePledge:
    """The unit's pledge as the visitor may see it: confirmed for everybody, a draft for the
    unit's staff; 404 otherwise."""
    pledge = ServicePledge.objects.select_related("unit").filter(unit__slug=unit_slug).first()
    if pledge is None:
        raise Http404("No pledge")
    if not pledge.confirmed and not can(user, "catalog.view_unpublished", pledge.unit):
        raise Http404("Pledge not confirmed")
    return pledge


def public_pledge_exists(unit: Unit) -> bool:
    return ServicePledge.objects.filter(unit=unit, confirmed=True).exists()


def pledge_html(pledge: ServicePledge) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "catalog/pledge_pdf.html",
            {
                "pledge": pledge,
                "unit": pledge.unit,
                "date": indonesian_date(pledge.signed_on) if pledge.signed_on else "",
                "body_html": paragraphs_html(pledge.text),
            },
        )


def render_pledge_pdf(pledge: ServicePledge) -> bytes:
    return render_pdf(pledge_html(pledge))
