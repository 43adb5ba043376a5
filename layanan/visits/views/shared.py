"""What the desk, the kiosk and the guest book share: the service a visitor chose (and the
buttons to choose one), registering a visit from a filled-in form, the unit a staff page is about.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from layanan.accounts.permissions import can
from layanan.cases.models import Case
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.visits.services import GENERAL_PREFIX, visit_register

GENERAL = "umum"  # the ?layanan= value of a visit without a service


def service_context(unit: Unit, services, url: str, slug: str | None) -> dict:
    """What the register page and the kiosk show of the services: the unit, a button per
    service (and one for the guest book), whether one was chosen (``?layanan=slug``) and which
    (``standard``: None for the guest book)."""
    chosen, standard = _chosen_service(unit, services, slug)
    return {
        "unit": unit,
        "services": _service_choices(unit, services, url),
        "chosen": chosen,
        "standard": standard,
    }


def _chosen_service(unit: Unit, services, slug: str | None):
    """(chosen, standard): chosen False when nothing (valid) was chosen yet."""
    if slug == GENERAL:
        return True, None
    for standard in services:
        if standard.slug == slug:
            return True, standard
    return False, None


def _service_choices(unit: Unit, services, url: str) -> list[dict]:
    from layanan.visits.services import ticket_prefix

    choices = [
        {
            "name": s.name,
            "letter": ticket_prefix(s, services),
            "url": f"{url}?layanan={s.slug}",
            "requirements": s.published_version.requirements,
        }
        for s in services
    ]
    choices.append(
        {
            "name": _("Other purpose (guest book)"),
            "letter": GENERAL_PREFIX,
            "url": f"{url}?layanan={GENERAL}",
            "requirements": [],
        }
    )
    return choices


def register_visit(form, *, unit, standard, actor, channel) -> tuple[Case | None, int]:
    """The visit the bound ``form`` describes, registered: (the case, 200); or (None, the
    page's status) with why on the form — 400 for invalid input, the service's own status when
    it refuses."""
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    try:
        case = visit_register(
            actor=actor,
            unit=unit,
            standard=standard,
            name=data["name"],
            phone=data["phone"],
            origin=data.get("origin", ""),
            purpose=data.get("purpose", ""),
            requirements=data.get("requirements") or [],
            channel=channel,
            email=data.get("email", ""),
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None, exc.status_code
    return case, 200


def desk_unit(request: HttpRequest, unit_slug: str) -> Unit:
    unit = Unit.objects.filter(slug=unit_slug).first()
    if unit is None or not can(request.user, "case.view", unit):
        raise Http404
    return unit
