"""What a citizen can do about a service or a unit, decided in one place from what the catalogue
already knows (the standard's kind and whether it takes complaints) — never from slugs.

- A published standard that takes complaints: complain about it, on the complaint form with its
  unit and service already chosen (``/pengaduan/<unit>/?layanan=<slug>``).
- A published standard whose kind the public can request online (:data:`ONLINE_REQUESTS`):
  an audience goes to the audience form with the unit chosen, a facility to the facility request
  form. Consultations (walk-in visits at the guest desk) and other services are not requested
  online: the page says what to bring and where to go instead.
- A unit: complain to it, the online requests its services allow, its satisfaction survey.

Nothing here queries the database: callers pass standards already loaded with their units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import ServiceKind, ServiceStandard


@dataclass(frozen=True)
class Action:
    """One link a public page offers: what it does, where it goes, and whether it is the main
    thing to do there (drawn as a button)."""

    key: str
    label: Promise | str
    url: str
    primary: bool = False


def _audience_url(standard: ServiceStandard) -> str:
    return reverse("audience:form") + "?" + urlencode({"instansi": standard.unit.slug})


def _facility_url(standard: ServiceStandard) -> str:
    return reverse("bookings_public:form")


#: service kind → (label, address of the online request for a standard of that kind)
ONLINE_REQUESTS: dict[str, tuple[Promise, Callable[[ServiceStandard], str]]] = {
    ServiceKind.AUDIENCE: (_("Request an audience online"), _audience_url),
    ServiceKind.FACILITY: (_("Request the facility online"), _facility_url),
}


def complaint_url(standard: ServiceStandard) -> str | None:
    """The complaint form with this service chosen, or None when it takes no complaints."""
    if standard.published_version_id is None or not standard.accepts_complaints:
        return None
    url = reverse("complaints_public:form_unit", kwargs={"unit_slug": standard.unit.slug})
    return url + "?" + urlencode({"layanan": standard.slug})


def online_request(standard: ServiceStandard) -> Action | None:
    """The online request this standard's kind allows, or None (walk-in or other services)."""
    if standard.published_version_id is None:
        return None
    entry = ONLINE_REQUESTS.get(standard.service_kind)
    if entry is None:
        return None
    label, url = entry
    return Action(key=f"request-{standard.service_kind}", label=label, url=url(standard))


def standard_actions(standard: ServiceStandard) -> list[Action]:
    """The actions of a standard's page: its online request first (the main one), then the
    complaint about it."""
    actions = []
    request = online_request(standard)
    if request is not None:
        actions.append(Action(key=request.key, label=request.label, url=request.url, primary=True))
    url = complaint_url(standard)
    if url is not None:
        actions.append(Action(key="complaint", label=_("Complain about this service"), url=url))
    return actions


def unit_actions(unit, standards: Iterable[ServiceStandard]) -> list[Action]:
    """The actions of a unit, from the standards listed for it (its own and its divisions')."""
    published = [s for s in standards if s.published_version_id is not None]
    actions = []
    if any(s.accepts_complaints and s.unit_id == unit.pk for s in published):
        url = reverse("complaints_public:form_unit", kwargs={"unit_slug": unit.slug})
        actions.append(Action(key="complaint", label=_("Submit a complaint"), url=url))
    elif any(s.accepts_complaints for s in published):
        url = reverse("complaints_public:form")
        actions.append(Action(key="complaint", label=_("Submit a complaint"), url=url))
    seen: set[str] = set()
    for standard in published:
        request = online_request(standard)
        if request is not None and request.key not in seen:
            seen.add(request.key)
            actions.append(request)
    actions.append(
        Action(
            key="survey",
            label=_("Fill in the satisfaction survey"),
            url=reverse("surveys:kiosk", kwargs={"unit_slug": unit.slug}),
        )
    )
    return actions


def kinds_offered(standards: Iterable[ServiceStandard]) -> set[str]:
    """The service kinds among published standards (which portal entries to offer)."""
    return {s.service_kind for s in standards if s.published_version_id is not None}
