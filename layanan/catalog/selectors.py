"""Reads for the public catalogue: the unit tree with its services, one standard, its versions.

Selectors own the query shape. The public pages stay at a handful of queries whatever the size
of a standard: one query for the standard (with its unit and published version) plus one per
child table of the version (completion times, fees, complaint channels, complaint classes).

Visibility rules, in one place:

- the public sees standards that have a published version, their published version and their
  archived versions (an archived version stays readable so that a citizen holding an old poster
  or link can see what changed); a standard without a published version does not exist for them;
- staff with ``catalog.view_unpublished`` on the standard's unit also see drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404

from layanan.accounts.permissions import can, visible_units
from layanan.core.models import Unit, UnitKind

from .components import COMPONENTS, DELIVERY, MANAGEMENT, Component
from .models import ServiceStandard, StandardVersion, VersionStatus

if TYPE_CHECKING:
    from layanan.accounts.models import User

VERSION_CHILDREN = ("completion_times", "fees", "complaint_channels", "complaint_classes")


# --- the catalogue tree ------------------------------------------------------------------------


@dataclass
class UnitSection:
    """One unit and the services it offers."""

    unit: Unit
    standards: list[ServiceStandard] = field(default_factory=list)


@dataclass
class UnitGroup:
    """A bureau (or any top unit shown on the home page) with its own services and those of its
    divisions, each division as its own section."""

    unit: Unit
    sections: list[UnitSection] = field(default_factory=list)
    #: what the public can do with this unit (``catalog.actions.unit_actions``), set by the page
    actions: list = field(default_factory=list)

    @property
    def standard_count(self) -> int:
        return sum(len(section.standards) for section in self.sections)


def _listable_standards(user: User | None) -> QuerySet[ServiceStandard]:
    """Published standards, plus unpublished ones of the units the user may preview."""
    condition = Q(published_version__isnull=False)
    if getattr(user, "is_authenticated", False):
        units = visible_units(user, "catalog.view_unpublished")
        condition |= Q(unit__in=units)
    return (
        ServiceStandard.objects.filter(condition)
        .select_related("unit", "published_version")
        .order_by("unit__path", "position", "name")
    )


def _group_unit(unit: Unit, by_pk: dict[int, Unit]) -> Unit:
    """The unit a service is listed under on the home page: its nearest bureau (or itself)."""
    pks = [int(p) for p in unit.path.strip("/").split("/") if p]
    for pk in reversed(pks):
        ancestor = by_pk.get(pk)
        if ancestor is not None and ancestor.kind == UnitKind.BUREAU:
            return ancestor
    return unit


def _ancestor_units(units: list[Unit]) -> dict[int, Unit]:
    pks: set[int] = set()
    for unit in units:
        pks.update(int(p) for p in unit.path.strip("/").split("/") if p)
    known = {unit.pk: unit for unit in units}
    missing = pks - known.keys()
    if missing:
        known.update(Unit.objects.in_bulk(missing))
    return known


def catalogue_groups(*, user: User | None = None, within: Unit | None = None) -> list[UnitGroup]:
    """The catalogue as a tree: bureaus (in unit order) → their divisions → services.

    Units without a listable service are left out. ``within`` limits it to one unit's subtree.
    Two queries: the standards (with units) and the ancestors of their units.
    """
    listable = _listable_standards(user)
    if within is not None:
        listable = listable.filter(unit__path__startswith=within.path)
    standards = list(listable)
    by_pk = _ancestor_units([s.unit for s in standards])
    groups: dict[int, UnitGroup] = {}
    sections: dict[int, UnitSection] = {}
    for standard in standards:
        top = _group_unit(standard.unit, by_pk)
        group = groups.get(top.pk)
        if group is None:
            group = groups[top.pk] = UnitGroup(unit=top)
        section = sections.get(standard.unit.pk)
        if section is None:
            section = sections[standard.unit.pk] = UnitSection(unit=standard.unit)
            group.sections.append(section)
        section.standards.append(standard)
    ordered = sorted(groups.values(), key=lambda g: (g.unit.path, g.unit.position))
    for group in ordered:
        # The bureau's own services first, then its divisions in tree order.
        group.sections.sort(key=lambda s: (s.unit.pk != group.unit.pk, s.unit.path))
    return ordered


def unit_for_page(*, slug: str, user: User | None = None) -> tuple[Unit, list[UnitGroup]]:
    """A unit with the services of its subtree; 404 when nothing there is visible to the user."""
    try:
        unit = Unit.objects.get(slug=slug)
    except Unit.DoesNotExist:
        raise Http404("No such unit") from None
    groups = catalogue_groups(user=user, within=unit)
    if not groups and not can(user, "catalog.view_unpublished", unit):
        raise Http404("No published services in this unit")
    return unit, groups


# --- one standard ------------------------------------------------------------------------------


def standard_for_page(*, unit_slug: str, slug: str) -> ServiceStandard:
    """The standard with its unit and its published version (one query; the version's children
    are fetched by :func:`version_for_page` for the version actually shown)."""
    queryset = ServiceStandard.objects.select_related(
        "unit", "unit__service_pledge", "published_version"
    )
    try:
        return queryset.get(unit__slug=unit_slug, slug=slug)
    except ServiceStandard.DoesNotExist:
        raise Http404("No such service standard") from None


def _version_queryset() -> QuerySet[StandardVersion]:
    return StandardVersion.objects.prefetch_related(*VERSION_CHILDREN)


def may_view_unpublished(user: User | None, standard: ServiceStandard) -> bool:
    return user is not None and can(user, "catalog.view_unpublished", standard)


def version_for_page(
    *, standard: ServiceStandard, user: User | None = None, number: int | None = None
) -> StandardVersion:
    """The version to show, enforcing the visibility rules of this module (404 otherwise).

    Without ``number``: the published version, or for staff who may preview, the newest version
    when nothing is published yet.
    """
    published = standard.published_version
    if number is None or (published is not None and number == published.number):
        if published is not None:
            prefetch_related_objects([published], *VERSION_CHILDREN)
            return published
        if not may_view_unpublished(user, standard):
            raise Http404("Service standard not published")
        version = _version_queryset().filter(standard=standard).order_by("-number").first()
        if version is None:
            raise Http404("Service standard has no version")
        version.standard = standard
        return version
    try:
        version = _version_queryset().get(standard=standard, number=number)
    except StandardVersion.DoesNotExist:
        raise Http404("No such version") from None
    public = version.status == VersionStatus.ARCHIVED and published is not None
    if not public and not may_view_unpublished(user, standard):
        raise Http404("Version not public")
    version.standard = standard
    return version


def version_history(
    *, standard: ServiceStandard, user: User | None = None
) -> list[StandardVersion]:
    """Versions the user may read, newest first (drafts only for staff who may preview)."""
    versions = standard.versions.order_by("-number")
    if not may_view_unpublished(user, standard):
        if standard.published_version_id is None:
            raise Http404("Service standard not published")
        versions = versions.exclude(status=VersionStatus.DRAFT)
    return list(versions)


def published_standard_for_print(*, unit_slug: str, slug: str) -> ServiceStandard:
    """A published standard for the poster and the QR code (404 when not published)."""
    standard = standard_for_page(unit_slug=unit_slug, slug=slug)
    if standard.published_version is None:
        raise Http404("Service standard not published")
    return standard


def prefetch_version_children(version: StandardVersion) -> StandardVersion:
    """Fetch the child tables of a version in one query each (for the poster)."""
    prefetch_related_objects([version], *VERSION_CHILDREN)
    return version


# --- components for display -------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentView:
    """One of the 14 components as the page shows it: the value, or a visible gap."""

    component: Component
    value: object
    missing: bool

    @property
    def key(self) -> str:
        return self.component.key

    @property
    def number(self) -> int:
        return self.component.number

    @property
    def label(self) -> object:  # a lazy translated label, as Component.label
        return self.component.label


def component_views(version: StandardVersion) -> dict[str, list[ComponentView]]:
    """The components of a version split into delivery (1–6) and management (7–14)."""
    missing = {c.key for c in version.missing_components()}
    groups: dict[str, list[ComponentView]] = {DELIVERY: [], MANAGEMENT: []}
    for component in COMPONENTS:
        groups[component.group].append(
            ComponentView(
                component=component,
                value=version.component_value(component),
                missing=component.key in missing,
            )
        )
    return groups
