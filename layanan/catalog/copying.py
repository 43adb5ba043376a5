"""Copying management components between the standards of one unit.

A bureau's management components (legal basis, facilities, competence, supervision, staffing,
guarantees, evaluation — components 7–14 of PermenPANRB 15/2014) are usually the same for all
its services, but each standard document is written (and imported) on its own, so some of them
come in with those components missing. An administrator or the unit's head picks another
standard *of the same unit* as the source, chooses the components, previews what would change,
and confirms: the components are written into the target's draft (a new draft from the version
in force when there is none), ready to publish like any other edit. Never across units: one
unit's legal basis or staffing says nothing about another's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.permissions import ensure_can
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError
from layanan.core.models import AuditAction

from .components import COMPONENTS, COMPONENTS_BY_KEY, MANAGEMENT, Component
from .models import ServiceStandard, StandardVersion, VersionStatus

#: The management components and the StandardVersion fields that hold each of them.
COPYABLE: dict[str, tuple[str, ...]] = {
    "legal_basis": ("legal_basis",),
    "facilities": ("facilities",),
    "competence": ("competence",),
    "supervision": ("supervision",),
    "staffing": ("staff_count", "staff_text"),
    "service_guarantee": ("service_guarantee",),
    "safety_guarantee": ("safety_guarantee",),
    "evaluation": ("evaluation", "meetings_per_month", "surveys_per_year"),
}
assert set(COPYABLE) == {c.key for c in COMPONENTS if c.group == MANAGEMENT}


class CopyRefused(ApplicationError):
    pass


def source_version(standard: ServiceStandard) -> StandardVersion | None:
    """What is copied from a standard: its version in force, else its newest version."""
    return standard.published_version or standard.latest_version


def target_version(standard: ServiceStandard) -> StandardVersion | None:
    """What the copy is compared with: the newest draft (edited in place), else the version in
    force (copied into a new draft)."""
    latest = standard.latest_version
    if latest is not None and latest.status == VersionStatus.DRAFT:
        return latest
    return standard.published_version or latest


def copy_candidates(standard: ServiceStandard):
    """The other standards of the same unit that have a version to copy from."""
    return (
        ServiceStandard.objects.filter(unit_id=standard.unit_id, versions__isnull=False)
        .exclude(pk=standard.pk)
        .distinct()
        .order_by("position", "name")
    )


def _lines(version: StandardVersion | None, key: str) -> list[str]:
    """A component's content as lines of text, for the preview."""
    if version is None:
        return []
    if key == "staffing":
        if version.staff_text:
            return [version.staff_text]
        return [str(version.staff_count)] if version.staff_count else []
    lines = [str(line) for line in getattr(version, key)]
    if key == "evaluation":
        if version.meetings_per_month:
            lines.append(
                _("Evaluation meetings per month: %(n)s") % {"n": version.meetings_per_month}
            )
        if version.surveys_per_year:
            lines.append(
                _("Satisfaction surveys per year: %(n)s") % {"n": version.surveys_per_year}
            )
    return lines


@dataclass(frozen=True)
class ComponentChange:
    component: Component
    before: list[str]
    after: list[str]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _check(*, actor, target: ServiceStandard, source: ServiceStandard, components) -> list[str]:
    ensure_can(actor, "catalog.edit", target)
    if source.unit_id != target.unit_id:
        raise CopyRefused(
            _("Components can only be copied from a standard of the same unit."), "other_unit"
        )
    if source.pk == target.pk:
        raise CopyRefused(_("Choose another standard to copy from."), "same_standard")
    keys = [key for key in COPYABLE if key in set(components)]
    unknown = set(components) - set(COPYABLE)
    if unknown or not keys:
        raise CopyRefused(
            _("Choose one or more of the management components (7–14)."), "bad_components"
        )
    if source_version(source) is None:
        raise CopyRefused(_("The source standard has no version to copy from."), "no_source")
    if target_version(target) is None:
        raise CopyRefused(_("This standard has no version yet: import it first."), "no_target")
    return keys


def copy_preview(
    *, actor, target: ServiceStandard, source: ServiceStandard, components
) -> list[ComponentChange]:
    """What confirming would change, component by component (unchanged ones included, marked)."""
    keys = _check(actor=actor, target=target, source=source, components=components)
    before, after = target_version(target), source_version(source)
    return [
        ComponentChange(COMPONENTS_BY_KEY[key], _lines(before, key), _lines(after, key))
        for key in keys
    ]


@transaction.atomic
def standard_copy_components(
    *, actor, target: ServiceStandard, source: ServiceStandard, components
) -> StandardVersion:
    """Write ``components`` of ``source``'s version into ``target``'s draft (created from the
    version in force when there is none). Returns the draft; audited. All or nothing."""
    from .services import version_create_draft

    target = ServiceStandard.objects.select_for_update().get(pk=target.pk)
    source = ServiceStandard.objects.get(pk=source.pk)
    keys = _check(actor=actor, target=target, source=source, components=components)
    from_version = source_version(source)
    draft = target_version(target)
    if draft.status != VersionStatus.DRAFT:
        draft = version_create_draft(actor=actor, source=draft)
    draft = StandardVersion.objects.select_for_update().get(pk=draft.pk)
    changed = [key for key in keys if _lines(draft, key) != _lines(from_version, key)]
    fields = [field for key in keys for field in COPYABLE[key]]
    for field in fields:
        setattr(draft, field, getattr(from_version, field))
    note = _("Components %(components)s copied from “%(source)s” version %(number)s.") % {
        "components": ", ".join(str(COMPONENTS_BY_KEY[key].number) for key in keys),
        "source": source.name,
        "number": from_version.number,
    }
    draft.change_note = f"{draft.change_note}\n{note}".strip()
    draft.content_hash = ""  # no longer the imported document's content
    draft.save(update_fields=[*fields, "change_note", "content_hash", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditAction.STANDARD_COMPONENTS_COPIED,
        target=draft,
        unit=target.unit,
        data={
            "standard": target.slug,
            "version": draft.number,
            "source_standard": source.slug,
            "source_version": from_version.number,
            "components": keys,
            "changed": changed,
        },
    )
    return draft
