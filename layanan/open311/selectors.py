"""Reads of the Open311 resources: jurisdictions and services (the units and standards that take
complaints, as on the public form: ``complaints.selectors``), the published complaints, the
lookup by Open311 id and the query of ``GET requests``.

Published = every complaint but the confidential ones (docs/open311.md, "Privacy"); only the
fields the answers show are loaded, never the tracking code nor the reporter.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet

from layanan.cases.models import OPEN_STATUSES, Case, CaseKind, Status
from layanan.catalog.models import ServiceStandard
from layanan.complaints.selectors import complaint_standards, complaint_units
from layanan.core.models import Unit

from .forms import QUERY_LIMIT, RequestQuery

#: The longest Open311 id (a case number is at most 40 characters).
ID_MAX = 40
CLOSED_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


def catalogue_changed_at() -> dt.datetime | None:
    """When a published standard last changed (the discovery's ``changeset``)."""
    return ServiceStandard.objects.published().aggregate(at=Max("updated_at"))["at"]


def jurisdiction_by_id(jurisdiction_id: str) -> Unit | None:
    """The unit a ``jurisdiction_id`` (a unit's slug) names, or None."""
    return Unit.objects.filter(slug=jurisdiction_id).first()


def sole_jurisdiction() -> Unit | None:
    """The one unit taking complaints, when there is exactly one (then ``jurisdiction_id`` may
    be left out), else None."""
    units = list(complaint_units()[:2])
    return units[0] if len(units) == 1 else None


def services_of(unit: Unit) -> QuerySet[ServiceStandard]:
    """The services of a jurisdiction: its published standards that take complaints."""
    return complaint_standards(unit)


def service_of(unit: Unit, service_code: str) -> ServiceStandard | None:
    return services_of(unit).filter(slug=service_code).first()


def request_id(case: Case) -> str:
    """The complaint's Open311 id: its case number with dashes (``KESRA-ADU-2026-000123``), which
    fits a URL path segment. Not a secret, unlike the tracking code."""
    return case.number.replace("/", "-")


def numbers_for(raw_id: str) -> list[str]:
    """The case numbers an Open311 id may stand for: ``UNIT-KIND-YEAR-SEQUENCE`` read from the
    right (a unit prefix may hold dashes itself, e.g. a slug ``BIRO-KESRA``). Anything else —
    a tracking code included — stands for none."""
    raw = raw_id.strip()
    if not raw or len(raw) > ID_MAX:
        return []
    parts = raw.upper().rsplit("-", 3)
    if len(parts) != 4 or not all(parts) or not (parts[2].isdigit() and parts[3].isdigit()):
        return []
    prefixes: list[str] = []
    for prefix in (raw.rsplit("-", 3)[0], parts[0]):
        prefixes += [prefix, prefix.replace("-", "/")]
    tail = "/" + "/".join(parts[1:])
    return list(dict.fromkeys(prefix + tail for prefix in prefixes))


def published_complaints() -> QuerySet[Case]:
    """Every complaint but the confidential ones, with what ``formats.request_out`` reads."""
    return (
        Case.objects.filter(kind=CaseKind.COMPLAINT, is_confidential=False)
        .select_related("unit", "standard", "open311")
        .only(
            "number",
            "is_anonymous",
            "status",
            "sla_text",
            "received_at",
            "updated_at",
            "closed_at",
            "due_at",
            "unit__name",
            "standard__name",
            "standard__slug",
            "open311__address_string",
            "open311__address_id",
            "open311__lat",
            "open311__long",
            "open311__media_url",
        )
    )


def published_by_ids(complaints: QuerySet[Case], raw_ids: list[str]) -> list[Case]:
    """Those of ``complaints`` whose Open311 id is one of ``raw_ids`` (any case), in the
    queryset's order."""
    wanted = {raw.strip().upper() for raw in raw_ids}
    numbers = [number for raw in raw_ids for number in numbers_for(raw)]
    if not numbers:
        return []
    return [
        case for case in complaints.filter(number__in=numbers) if request_id(case).upper() in wanted
    ]


def published_by_id(raw_id: str, *, unit: Unit | None = None) -> Case | None:
    """The published complaint with this Open311 id (in ``unit``, when given)."""
    complaints = published_complaints()
    if unit is not None:
        complaints = complaints.filter(unit=unit)
    found = published_by_ids(complaints, [raw_id])
    return found[0] if found else None


def published_matching(unit: Unit, query: RequestQuery) -> QuerySet[Case]:
    """The published complaints of ``unit`` that ``GET requests`` asks for without ids: by
    service, by open or closed, received within the window; newest first, at most the spec's
    1,000."""
    complaints = published_complaints().filter(unit=unit)
    if query.service_codes:
        complaints = complaints.filter(standard__slug__in=query.service_codes)
    if query.statuses == {"open"}:
        complaints = complaints.filter(status__in=OPEN_STATUSES)
    elif query.statuses == {"closed"}:
        complaints = complaints.filter(status__in=CLOSED_STATUSES)
    complaints = complaints.filter(received_at__gte=query.start, received_at__lte=query.end)
    return complaints.order_by("-received_at", "-pk")[:QUERY_LIMIT]
