"""Writes to the catalogue: importing parsed documents, drafting and publishing versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import ensure_can
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError
from layanan.core.models import AuditAction, Unit

from .components import LIST_FIELDS
from .models import (
    ComplaintChannel,
    ComplaintClass,
    CompletionTime,
    Fee,
    ServiceKind,
    ServiceStandard,
    StandardVersion,
    VersionStatus,
)
from .tasks import poster_render_soon

if TYPE_CHECKING:
    from layanan.accounts.actors import AnyActor

    from .importer.results import ParsedStandard

SCALAR_FIELDS = (
    "name",
    "decree_number",
    "completion_note",
    "fee_note",
    "staff_count",
    "staff_text",
    "meetings_per_month",
    "surveys_per_year",
)


def guess_service_kind(name: str) -> str:
    """The ``ServiceKind`` a service's name suggests (consultation, audience, facility; else
    other), in Indonesian or English: a first guess the editor can change."""
    lowered = name.lower()
    if "konsultasi" in lowered or "consultation" in lowered:
        return ServiceKind.CONSULTATION
    if "audiensi" in lowered or "audience" in lowered:
        return ServiceKind.AUDIENCE
    if "sarana" in lowered or "fasilitas" in lowered or "ruang" in lowered:
        return ServiceKind.FACILITY
    return ServiceKind.OTHER


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("62") else digits


def resolve_unit(*, unit_name: str, hints: list[str]) -> tuple[Unit | None, str]:
    """Find the unit a document belongs to: by the name in its header, else by a contact
    (email, phone, website) it mentions. Returns (unit, how) with how in
    {"header", "contact", ""}."""
    if unit_name:
        wanted = _norm(unit_name)
        for unit in Unit.objects.all():
            if wanted in {_norm(unit.name), _norm(unit.short_name)}:
                return unit, "header"
    emails, phones, sites = set(), set(), set()
    for hint in hints:
        hint = hint.strip().lower()
        if "@" in hint:
            emails.add(hint)
        elif re.search(r"\d{6,}", _digits(hint)):
            phones.add(_digits(hint.split("ext")[0]))
        elif "." in hint:
            sites.add(hint.removeprefix("http://").removeprefix("https://").strip("/"))
    # The bureaus share one switchboard number, so only contacts that are a unit's own count:
    # its email address, WhatsApp number or website.
    for unit in Unit.objects.all():
        site = unit.website.lower().removeprefix("http://").removeprefix("https://").strip("/")
        if (
            (unit.email and unit.email.lower() in emails)
            or (unit.whatsapp and _digits(unit.whatsapp) in phones)
            or (site and site in sites)
        ):
            return unit, "contact"
    return None, ""


@dataclass
class ImportOutcome:
    """What happened to one service during an import."""

    sources: list[str]
    service_name: str
    unit: str = ""
    unit_resolved_by: str = ""
    standard: str = ""
    action: str = ""  # created | new_version | unchanged | skipped
    version: int | None = None
    missing: list[str] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sources": self.sources,
            "service_name": self.service_name,
            "unit": self.unit,
            "unit_resolved_by": self.unit_resolved_by,
            "standard": self.standard,
            "action": self.action,
            "version": self.version,
            "missing": self.missing,
            "issues": self.issues,
        }


def _version_fields_from_parsed(parsed: ParsedStandard) -> dict:
    data = {
        "name": parsed.service_name,
        "decree_number": parsed.decree_number or "",
        "completion_note": getattr(parsed, "completion_note", "") or "",
        "fee_note": getattr(parsed, "fee_note", "") or "",
        "staff_count": parsed.staff_count,
        "staff_text": parsed.staff_text or "",
        "meetings_per_month": parsed.meetings_per_month,
        "surveys_per_year": parsed.surveys_per_year,
    }
    for name in LIST_FIELDS:
        data[name] = list(getattr(parsed, name))
    return data


def _write_children(version: StandardVersion, parsed: ParsedStandard) -> None:
    CompletionTime.objects.bulk_create(
        CompletionTime(
            version=version,
            position=i,
            label=d.label[:120],
            value=d.value,
            unit=d.unit or "",
            text=d.text[:300],
            ambiguous=d.ambiguous,
        )
        for i, d in enumerate(parsed.completion_times)
    )
    Fee.objects.bulk_create(
        Fee(
            version=version,
            position=i,
            label=f.label[:120],
            free=f.free,
            amount_idr=None if f.free else f.amount_idr,
            text=f.text[:300],
        )
        for i, f in enumerate(parsed.fees)
        if f.free or f.amount_idr is not None
    )
    ComplaintChannel.objects.bulk_create(
        ComplaintChannel(
            version=version, position=i, kind=c.kind, label=c.label[:200], value=c.value[:200]
        )
        for i, c in enumerate(parsed.complaint_channels)
    )
    seen: set[str] = set()
    classes = []
    for i, c in enumerate(parsed.complaint_classes):
        code = (c.code or slugify(c.name))[:60] or f"kelas-{i + 1}"
        if code in seen:
            continue
        seen.add(code)
        classes.append(
            ComplaintClass(
                version=version,
                position=i,
                code=code,
                name=c.name[:200],
                value=c.duration.value,
                unit=c.duration.unit or "",
                text=c.duration.text[:300],
            )
        )
    ComplaintClass.objects.bulk_create(classes)


@transaction.atomic
def standard_import_parsed(
    *,
    parsed: ParsedStandard,
    unit: Unit,
    actor: AnyActor,
    sources: list[str] | None = None,
    extra_issues: list | None = None,
) -> ImportOutcome:
    """Store one parsed service standard under ``unit``.

    Same content as the latest version → nothing changes. New service → standard + draft v1.
    Changed content → a new draft version (the published one stays until the draft is published).
    """
    ensure_can(actor, "catalog.import")
    issues = [i.as_dict() for i in parsed.issues]
    issues += [i.as_dict() if hasattr(i, "as_dict") else dict(i) for i in (extra_issues or [])]
    outcome = ImportOutcome(
        sources=sources or [parsed.source_name],
        service_name=parsed.service_name,
        unit=unit.slug,
        missing=list(parsed.missing_components()),
        issues=issues,
    )
    if not parsed.service_name:
        outcome.action = "skipped"
        return outcome
    slug = slugify(parsed.service_name)[:100]
    standard, created = ServiceStandard.objects.select_for_update().get_or_create(
        unit=unit,
        slug=slug,
        defaults={"name": parsed.service_name, "service_kind": guess_service_kind(slug)},
    )
    outcome.standard = standard.slug
    content_hash = parsed.content_hash()
    latest = standard.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == content_hash:
        outcome.action = "unchanged"
        outcome.version = latest.number
        return outcome
    number = (standard.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = StandardVersion.objects.create(
        standard=standard,
        number=number,
        status=VersionStatus.DRAFT,
        source_name=", ".join(outcome.sources)[:255],
        content_hash=content_hash,
        import_issues=issues,
        created_by=user_or_none(actor),
        change_note=_("Imported from %(src)s") % {"src": ", ".join(outcome.sources)},
        **_version_fields_from_parsed(parsed),
    )
    _write_children(version, parsed)
    outcome.action = "created" if created else "new_version"
    outcome.version = number
    return outcome


@transaction.atomic
def version_publish(*, actor: AnyActor, version: StandardVersion) -> StandardVersion:
    """Publish a draft; the previously published version is archived and stays readable."""
    ensure_can(actor, "catalog.publish", version.standard)
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError(_("Only a draft can be published."), "not_draft")
    standard = ServiceStandard.objects.select_for_update().get(pk=version.standard_id)
    previous = list(
        StandardVersion.objects.filter(standard=standard, status=VersionStatus.PUBLISHED)
    )
    StandardVersion.objects.filter(pk__in=[v.pk for v in previous]).update(
        status=VersionStatus.ARCHIVED
    )
    for archived in previous:
        archived.status = VersionStatus.ARCHIVED
        audit_log(
            actor=actor,
            action=AuditAction.STANDARD_ARCHIVED,
            target=archived,
            unit=standard.unit,
            data={
                "standard": standard.slug,
                "version": archived.number,
                "by_version": version.number,
            },
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user_or_none(actor)
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    standard.published_version = version
    standard.name = version.name
    standard.save(update_fields=["published_version", "name", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditAction.STANDARD_PUBLISHED,
        target=version,
        unit=standard.unit,
        data={
            "standard": standard.slug,
            "version": version.number,
            "decree": version.decree_number,
        },
    )
    # The poster is rendered now, in the background, not when the first visitor asks for it.
    poster_render_soon(standard)
    return version


@transaction.atomic
def version_create_draft(*, actor: AnyActor, source: StandardVersion) -> StandardVersion:
    """Copy a version (with its structured components) into a new editable draft."""
    ensure_can(actor, "catalog.edit", source.standard)
    standard = ServiceStandard.objects.select_for_update().get(pk=source.standard_id)
    number = (standard.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    fields = {name: getattr(source, name) for name in (*SCALAR_FIELDS, *LIST_FIELDS)}
    draft = StandardVersion.objects.create(
        standard=standard,
        number=number,
        status=VersionStatus.DRAFT,
        source_name=source.source_name,
        content_hash="",
        created_by=user_or_none(actor),
        change_note=_("Copied from version %(n)s") % {"n": source.number},
        **fields,
    )
    for related in ("completion_times", "fees", "complaint_channels", "complaint_classes"):
        for child in getattr(source, related).all():
            child.pk = None
            child.version = draft
            child.save()
    audit_log(
        actor=actor,
        action=AuditAction.STANDARD_DRAFTED,
        target=draft,
        unit=standard.unit,
        data={"standard": standard.slug, "version": draft.number, "from_version": source.number},
    )
    return draft
