"""Public catalogue endpoints: units and published service standards (no authentication)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from layanan.catalog.models import ServiceStandard, StandardVersion
from layanan.core.errors import Conflict
from layanan.core.models import Unit

from . import selectors
from .pagination import PageParams, page_of, paginate
from .schemas import (
    AmbiguousOut,
    ErrorOut,
    StandardDetailOut,
    StandardSummaryOut,
    UnitOut,
    ValidationErrorOut,
)

router = Router(tags=["catalogue"])


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- units ------------------------------------------------------------------------------------


def unit_data(request: HttpRequest, unit: Unit) -> dict:
    return {
        "slug": unit.slug,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent.slug if unit.parent_id else None,
        "depth": max(unit.path.count("/") - 1, 0),
        "contacts": {
            "address": unit.address,
            "phone": unit.phone,
            "whatsapp": unit.whatsapp,
            "email": unit.email,
            "website": unit.website,
        },
        "standards_url": _absolute(request, f"{reverse('api:standard_list')}?unit={unit.slug}"),
        "html_url": _absolute(request, reverse("catalog:unit", args=[unit.slug])),
    }


@router.get(
    "/units",
    response={200: page_of(UnitOut), 400: ValidationErrorOut},
    url_name="unit_list",
    summary="List the organisational units",
)
def unit_list(request: HttpRequest, page: Query[PageParams]):
    """Every unit of the organisation in tree order (a parent before its children), with its
    public contacts."""
    return paginate(request, selectors.unit_list(), page, lambda unit: unit_data(request, unit))


# --- standards --------------------------------------------------------------------------------


def standard_summary(request: HttpRequest, standard: ServiceStandard) -> dict:
    version = standard.published_version
    unit = standard.unit
    return {
        "slug": standard.slug,
        "name": version.name,
        "unit": {"slug": unit.slug, "name": unit.name, "short_name": unit.short_name},
        "service_kind": standard.service_kind,
        "accepts_complaints": standard.accepts_complaints,
        "version": version.number,
        "decree_number": version.decree_number or None,
        "published_at": version.published_at,
        "url": _absolute(request, reverse("api:standard_detail", args=[unit.slug, standard.slug])),
        "html_url": _absolute(request, standard.get_absolute_url()),
    }


def fee_summary(version: StandardVersion) -> dict:
    fees = list(version.fees.all())
    charged = [fee.amount_idr for fee in fees if not fee.free and fee.amount_idr is not None]
    return {
        "free": bool(fees) and all(fee.free for fee in fees),
        "amount_idr": min(charged) if charged else None,
    }


def standard_detail_data(request: HttpRequest, standard: ServiceStandard) -> dict:
    version = standard.published_version
    data = standard_summary(request, standard)
    data.update(
        {
            "requirements": version.requirements,
            "procedure": version.procedure,
            "completion_times": [
                {"value": ct.value, "unit": ct.unit or None, "text": ct.text, "label": ct.label}
                for ct in version.completion_times.all()
            ],
            "completion_note": version.completion_note,
            "fees": [
                {"free": f.free, "amount_idr": f.amount_idr, "text": f.text, "label": f.label}
                for f in version.fees.all()
            ],
            "fee": fee_summary(version),
            "fee_note": version.fee_note,
            "products": version.products,
            "complaint_handling": {
                "channels": [
                    {"kind": c.kind, "label": c.label, "value": c.value, "href": c.href or None}
                    for c in version.complaint_channels.all()
                ],
                "flow": version.complaint_flow,
                "classes": [
                    {
                        "code": cc.code,
                        "name": cc.name,
                        "value": cc.value,
                        "unit": cc.unit or None,
                        "text": cc.text,
                    }
                    for cc in version.complaint_classes.all()
                ],
            },
            "legal_basis": version.legal_basis,
            "facilities": version.facilities,
            "competence": version.competence,
            "supervision": version.supervision,
            "staffing": {"count": version.staff_count, "text": version.staff_text},
            "service_guarantee": version.service_guarantee,
            "safety_guarantee": version.safety_guarantee,
            "evaluation": {
                "items": version.evaluation,
                "meetings_per_month": version.meetings_per_month,
                "surveys_per_year": version.surveys_per_year,
            },
            "missing_components": [
                {"key": c.key, "number": c.number, "label": str(c.label)}
                for c in version.missing_components()
            ],
        }
    )
    return data


@router.get(
    "/standards",
    response={200: page_of(StandardSummaryOut), 400: ValidationErrorOut, 404: ErrorOut},
    url_name="standard_list",
    summary="List the published service standards",
)
def standard_list(request: HttpRequest, page: Query[PageParams], unit: Query[str | None] = None):
    """Published service standards in catalogue order. `unit` (a unit slug) keeps those of that
    unit and of the units below it; an unknown unit is a 404 `unknown_unit`."""
    scope = selectors.unit_by_slug(unit) if unit else None
    standards = selectors.published_standard_list(unit=scope)
    return paginate(request, standards, page, lambda standard: standard_summary(request, standard))


@router.get(
    "/standards/{unit_slug}/{slug}",
    response={200: StandardDetailOut, 404: ErrorOut},
    url_name="standard_detail",
    summary="One published service standard",
)
def standard_detail(request: HttpRequest, unit_slug: str, slug: str):
    """The published version of a standard with all 14 components. 404 `unknown_unit` or
    `unknown_standard` (unpublished standards do not exist here)."""
    standard = selectors.published_standard_detail(unit_slug=unit_slug, slug=slug)
    return standard_detail_data(request, standard)


@router.get(
    "/standards/{slug}",
    response={200: StandardDetailOut, 404: ErrorOut, 409: AmbiguousOut},
    url_name="standard_by_slug",
    summary="One published service standard, by its slug alone",
)
def standard_by_slug(request: HttpRequest, slug: str):
    """Like `/standards/{unit_slug}/{slug}` when only one unit publishes a service with this
    slug; otherwise 409 `ambiguous_slug` with the `candidates`."""
    matches = selectors.published_standards_with_slug(slug=slug)
    if len(matches) > 1:
        raise Conflict(
            _("Several units have a service “%(slug)s”: name the unit too.") % {"slug": slug},
            "ambiguous_slug",
            extra={
                "candidates": [
                    {
                        "unit": s.unit.slug,
                        "slug": s.slug,
                        "name": s.published_version.name,
                        "url": _absolute(
                            request, reverse("api:standard_detail", args=[s.unit.slug, s.slug])
                        ),
                    }
                    for s in matches[: selectors.MAX_CANDIDATES]
                ]
            },
        )
    return standard_detail_data(request, matches[0])
