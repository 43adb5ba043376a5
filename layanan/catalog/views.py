"""The public service catalogue: home, unit, standard (current, archived, draft), history, poster.

Views stay thin: the selectors decide what exists for whom (404 otherwise) and own the query
shape; the templates present. Public pages need no JavaScript and load one small stylesheet.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from layanan.accounts.permissions import can
from layanan.core.checks import site_url_is_loopback
from layanan.workdays.office_hours import special_hours, weekly_hours

from . import actions, poster, selectors
from .models import ServiceKind, ServicePledge, ServiceStandard, StandardVersion, VersionStatus

PRINT_CACHE_SECONDS = 60 * 60


def _private_when_signed_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Pages seen by staff can carry drafts and completeness data: never cache them in shared
    caches."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _with_actions(groups: list[selectors.UnitGroup]) -> list[selectors.UnitGroup]:
    for group in groups:
        standards = [s for section in group.sections for s in section.standards]
        group.actions = actions.unit_actions(group.unit, standards)
    return groups


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front door: what a citizen can do (complain, track, request, survey, results), then
    the units that offer published services, bureau by bureau, with their services, contacts
    and actions. One query for the standards with their units (plus one for ancestor units
    when a service belongs to a division); the actions are computed from those rows."""
    groups = selectors.catalogue_groups(user=request.user)
    standards = [s for group in groups for section in group.sections for s in section.standards]
    kinds = actions.kinds_offered(standards)
    context = {
        "groups": _with_actions(groups),
        "offers_audience": ServiceKind.AUDIENCE in kinds,
        "offers_facility": ServiceKind.FACILITY in kinds,
    }
    response = render(request, "catalog/home.html", context)
    return _private_when_signed_in(request, response)


def _visible_pledge(request: HttpRequest, unit) -> ServicePledge | None:
    """The unit's pledge when the visitor may read it (confirmed, or a draft for its staff)."""
    try:
        item = unit.service_pledge
    except ServicePledge.DoesNotExist:
        return None
    if item.confirmed or can(request.user, "catalog.view_unpublished", unit):
        return item
    return None


@require_safe
def unit_detail(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """One unit: where to find it, how to reach it, and its services (with its divisions')."""
    unit, groups = selectors.unit_for_page(slug=unit_slug, user=request.user)
    standards = [s for group in groups for section in group.sections for s in section.standards]
    context = {
        "unit": unit,
        "groups": groups,
        "unit_actions": actions.unit_actions(unit, standards),
        "office_hours": weekly_hours(unit),
        "special_hours": special_hours(unit),
        "pledge": _visible_pledge(request, unit),
    }
    response = render(request, "catalog/unit.html", context)
    return _private_when_signed_in(request, response)


def _versi_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("versi")
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise Http404("Bad version number") from None
    if number < 1:
        raise Http404("Bad version number")
    return number


def _render_standard(
    request: HttpRequest, standard: ServiceStandard, version: StandardVersion
) -> HttpResponse:
    user = request.user
    published = standard.published_version
    show_completeness = can(user, "catalog.view_completeness", standard)
    context = {
        "standard": standard,
        "version": version,
        "unit": standard.unit,
        "published": published,
        "is_current": published is not None and version.pk == published.pk,
        "is_draft": version.status == VersionStatus.DRAFT,
        "is_archived": version.status == VersionStatus.ARCHIVED,
        "components": selectors.component_views(version),
        "completeness": version.completeness() if show_completeness else None,
        "staff_preview": show_completeness or selectors.may_view_unpublished(user, standard),
        "has_history": version.number > 1 or (published is not None and version != published),
        "actions": actions.standard_actions(standard) if version == published else [],
        "office_hours": weekly_hours(standard.unit),
        "pledge": _visible_pledge(request, standard.unit),
        "special_hours": special_hours(standard.unit),
    }
    # Staff who print the poster are told when its QR code would lead nowhere.
    context["site_url_warning"] = context["staff_preview"] and site_url_is_loopback()
    response = render(request, "catalog/standard.html", context)
    if context["is_draft"]:
        response["X-Robots-Tag"] = "noindex"
    return _private_when_signed_in(request, response)


@require_safe
def standard_detail(request: HttpRequest, unit_slug: str, slug: str) -> HttpResponse:
    """The standard in force (or, for staff who may preview, ``?versi=N`` / the newest draft)."""
    standard = selectors.standard_for_page(unit_slug=unit_slug, slug=slug)
    version = selectors.version_for_page(
        standard=standard, user=request.user, number=_versi_param(request)
    )
    return _render_standard(request, standard, version)


@require_safe
def standard_version(request: HttpRequest, unit_slug: str, slug: str, number: int) -> HttpResponse:
    """One numbered version: archived ones are public (with a "no longer in force" banner),
    drafts only for staff of the unit."""
    standard = selectors.standard_for_page(unit_slug=unit_slug, slug=slug)
    version = selectors.version_for_page(standard=standard, user=request.user, number=number)
    return _render_standard(request, standard, version)


@require_safe
def standard_history(request: HttpRequest, unit_slug: str, slug: str) -> HttpResponse:
    """Every version of a standard the visitor may read, newest first."""
    standard = selectors.standard_for_page(unit_slug=unit_slug, slug=slug)
    versions = selectors.version_history(standard=standard, user=request.user)
    response = render(
        request,
        "catalog/history.html",
        {"standard": standard, "unit": standard.unit, "versions": versions},
    )
    return _private_when_signed_in(request, response)


def _printable(request: HttpRequest, standard: ServiceStandard, build, content_type: str):
    """Serve a printable rendering of the published version with validators and public caching:
    it only changes with a new version, new unit contacts or a new poster design."""
    etag = quote_etag(poster.poster_key(standard))
    changed = poster.content_changed_at(standard)
    last_modified = int(changed.timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, max_age=PRINT_CACHE_SECONDS)
        return not_modified
    response = HttpResponse(build(), content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=PRINT_CACHE_SECONDS)
    return response


@require_safe
def standard_poster(request: HttpRequest, unit_slug: str, slug: str) -> HttpResponse:
    """The A4 poster (PDF) of the published version, with a QR code to the public page."""
    standard = selectors.published_standard_for_print(unit_slug=unit_slug, slug=slug)
    response = _printable(
        request, standard, lambda: poster.stored_poster_pdf(standard), "application/pdf"
    )
    if response.status_code == 200:
        filename = f"standar-pelayanan-{standard.unit.slug}-{standard.slug}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def standard_qr(request: HttpRequest, unit_slug: str, slug: str) -> HttpResponse:
    """The QR code (SVG) that leads to the public page of a published standard."""
    standard = selectors.published_standard_for_print(unit_slug=unit_slug, slug=slug)
    return _printable(
        request,
        standard,
        lambda: poster.qr_svg(poster.public_url(standard), scale=8),
        "image/svg+xml",
    )


# --- the service pledge (Maklumat Pelayanan) ---------------------------------------------------


@require_safe
def pledge_detail(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """The unit's confirmed Maklumat Pelayanan (a draft for the unit's staff, marked so)."""
    from .pledge import pledge_for_page

    item = pledge_for_page(unit_slug=unit_slug, user=request.user)
    response = render(request, "catalog/pledge.html", {"pledge": item, "unit": item.unit})
    if not item.confirmed:
        response["X-Robots-Tag"] = "noindex"
    return _private_when_signed_in(request, response)


@require_safe
def pledge_pdf(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """The pledge as an A4 PDF with the unit's letterhead, to print and hang beside the
    posters (a draft is printed with DRAFT on it, for the unit's staff only)."""
    from .pledge import pledge_for_page, render_pledge_pdf

    item = pledge_for_page(unit_slug=unit_slug, user=request.user)
    response = HttpResponse(render_pledge_pdf(item), content_type="application/pdf")
    name = f"maklumat-pelayanan-{item.unit.slug}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    if item.confirmed and not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PRINT_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
