"""The import pipeline: documents → parsed standards → grouped per service → stored versions.

Used by ``manage.py import_standard`` and ``manage.py load_demo`` (and the first-run page).
Reading and parsing live in ``layanan.catalog.importer``; storing lives in
``services.standard_import_parsed``. Here we split documents that describe several services,
decide which unit each service belongs to (creating the unit from the letterhead with
``create_units``) and merge documents that describe the same service. The whole import is one
transaction: a failure half-way leaves nothing written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from layanan.accounts.permissions import ensure_can
from layanan.core.models import Unit, UnitKind

from .importer.merge import merge_parsed
from .importer.parser import ImportIssue, parse_standards
from .importer.readers import DocumentReadError, read_document
from .importer.text import squash
from .services import ImportOutcome, resolve_unit, standard_import_parsed

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .importer.results import ParsedStandard

SUPPORTED_SUFFIXES = {".txt", ".md", ".pdf", ".docx"}


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # documents that could not be read
    dry_run: bool = False
    created_units: list[dict] = field(default_factory=list)  # {"slug", "name", "parent"}

    @property
    def read_count(self) -> int:
        return sum(len(o.sources) for o in self.outcomes)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "services": [o.as_dict() for o in self.outcomes],
            "errors": self.errors,
            "created_units": self.created_units,
        }


class _DryRunRollback(Exception):
    pass


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, and the supported documents inside given folders (sorted)."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            result.extend(
                sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            result.append(path)
    return result


_KIND_WORDS = (
    (r"^biro\b", UnitKind.BUREAU),
    (r"^(?:bagian|bidang|seksi|subbagian)\b", UnitKind.DIVISION),
    (r"^sekretariat\b", UnitKind.SECRETARIAT),
    (r"^pemerintah\b", UnitKind.GOVERNMENT),
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80].strip("-") or "unit"
    slug, number = base, 2
    while Unit.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = f"{base[: 80 - len(suffix)]}{suffix}"
        number += 1
    return slug


def unit_create_from_header(*, name: str, parent: Unit | None, hints: list[str]) -> Unit:
    """A unit for an agency named in a document's letterhead: its name, a unique slug derived
    from it, a kind guessed from the first word, and the email address and website the
    letterhead lists (so later documents are recognised by them too)."""
    name = squash(name)[:200]
    kind = next(
        (k for pattern, k in _KIND_WORDS if re.match(pattern, name, re.IGNORECASE)),
        UnitKind.OTHER,
    )
    email = next((h for h in hints if "@" in h), "")
    website = next((h for h in hints if "@" not in h and not re.search(r"\d{6,}", h)), "")
    return Unit.objects.create(
        name=name,
        slug=_unique_slug(name),
        parent=parent,
        kind=kind,
        email=email[:254],
        website=website[:200],
    )


#: "Bagian Bina Mental Spritual": the capitalised words after "Bagian" (up to a comma, "dan", …).
BAGIAN_MENTION = re.compile(r"\bBagian\s+((?:[A-Z][\w/&.-]*)(?:\s+[A-Z][\w/&.-]*)*)")
#: Components whose lines may send the public to a Bagian.
BAGIAN_COMPONENTS = ("procedure", "products", "requirements")
#: How close a name must be to one of the unit's Bagian to count as that Bagian (typos such as
#: "Spritual" for "Spiritual" are the seeds' own).
BAGIAN_SIMILARITY = 0.85


def _bagian_key(name: str) -> str:
    name = re.sub(r"^bagian\s+", "", name.strip().lower())
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def unit_divisions(unit: Unit) -> list[Unit]:
    """The Bagian of a unit: the division units below it."""
    return list(
        unit.descendants(include_self=False).filter(kind=UnitKind.DIVISION).order_by("path")
    )


def unknown_bagian_issues(parsed, unit: Unit) -> list[ImportIssue]:
    """One ``unknown_division`` issue per Bagian that the standard's procedure (or products,
    requirements) names and the unit does not have — e.g. a standard copied from another
    bureau's document that still sends people to that bureau's Bagian. Near spellings of the
    unit's own Bagian are not flagged."""
    divisions = unit_divisions(unit)
    own = [_bagian_key(d.name) for d in divisions]
    issues: list[ImportIssue] = []
    seen: set[str] = set()
    for component in BAGIAN_COMPONENTS:
        for line in getattr(parsed, component, None) or []:
            for match in BAGIAN_MENTION.finditer(str(line)):
                key = _bagian_key(match.group(1))
                if not key or key in seen:
                    continue
                seen.add(key)
                if any(
                    difflib.SequenceMatcher(None, key, other).ratio() >= BAGIAN_SIMILARITY
                    for other in own
                ):
                    continue
                actual = ", ".join(d.name for d in divisions)
                issues.append(
                    ImportIssue(
                        code="unknown_division",
                        component=component,
                        message=(
                            f"The {component} names 'Bagian {match.group(1)}', which "
                            f"{unit.name} does not have"
                            + (f" (its Bagian: {actual})." if actual else " (it has no Bagian).")
                        ),
                        source=getattr(parsed, "source_name", ""),
                    )
                )
    return issues


def _read_documents(paths: Sequence[str | Path], report: ImportReport) -> list[ParsedStandard]:
    """Every service parsed from ``paths``; a file that cannot be read is listed in ``report``."""
    parsed_documents: list[ParsedStandard] = []
    for path in expand_paths(paths):
        try:
            text = read_document(path)
        except (DocumentReadError, OSError) as exc:
            report.errors.append({"source": str(path), "error": str(exc)})
            continue
        parsed_documents.extend(parse_standards(text, source_name=path.name))
    return parsed_documents


def _target_unit(
    parsed: ParsedStandard,
    *,
    unit: Unit | None,
    create_units: bool,
    parent: Unit | None,
    report: ImportReport,
) -> tuple[Unit | None, str]:
    """The unit a parsed service goes to, and how it was found (``option``, a
    :func:`resolve_unit` rule, or ``created``: listed in ``report``). None: no unit."""
    if unit is not None:
        return unit, "option"
    target, how = resolve_unit(unit_name=parsed.unit_name, hints=parsed.unit_hints)
    if target is None and create_units and parsed.unit_name:
        target = unit_create_from_header(
            name=parsed.unit_name, parent=parent, hints=parsed.unit_hints
        )
        how = "created"
        report.created_units.append(
            {
                "slug": target.slug,
                "name": target.name,
                "parent": parent.slug if parent else "",
                "source": parsed.source_name,
            }
        )
    return target, how


def _unit_issues(target: Unit, how: str, report: ImportReport) -> list[ImportIssue]:
    """The issues that say how a service's unit was found: inferred from contacts, or created."""
    issues: list[ImportIssue] = []
    if how == "contact":
        issues.append(
            ImportIssue(
                code="unit_inferred",
                component="unit",
                message=(
                    f"No unit named in the document; assigned to {target.name} "
                    "because it lists that unit's contacts."
                ),
            )
        )
    created = next(
        (u for u in report.created_units if u["slug"] == target.slug),
        None,
    )
    if created is not None:
        issues.append(
            ImportIssue(
                code="unit_created",
                component="unit",
                message=(
                    f"The unit '{target.name}' ({target.slug}) was created from the "
                    f"letterhead of {created['source']}"
                    + (f", under {created['parent']}." if created["parent"] else ".")
                ),
            )
        )
    return issues


def _skipped(parsed: ParsedStandard, *, create_units: bool) -> ImportOutcome:
    """The outcome of a service whose unit is unknown: nothing stored."""
    return ImportOutcome(
        sources=[parsed.source_name],
        service_name=parsed.service_name,
        action="skipped",
        missing=list(parsed.missing_components()),
        issues=[i.as_dict() for i in parsed.issues]
        + [
            {
                "code": "unit_unknown",
                "component": "unit",
                "message": (
                    "The document names no known unit; use --unit SLUG"
                    + ("." if create_units else ", or --create-units.")
                ),
            }
        ],
    )


def import_documents(
    paths: Sequence[str | Path],
    *,
    unit: Unit | None = None,
    actor,
    dry_run: bool = False,
    create_units: bool = False,
    parent: Unit | None = None,
) -> ImportReport:
    """Read, parse, group and store. With ``dry_run`` everything is computed, nothing kept.

    A document that describes several services gives one standard per service. With
    ``create_units``, a service whose letterhead names an agency that is not yet a unit gets a
    new unit (under ``parent``) made from the letterhead; the report lists the units created
    and each such service carries a ``unit_created`` issue.
    """
    if create_units and actor is not None:
        ensure_can(actor, "catalog.import")
    report = ImportReport(dry_run=dry_run)
    parsed_documents = _read_documents(paths, report)

    def _run() -> None:
        groups: dict[tuple[int, str], list] = {}
        resolved: dict[tuple[int, str], tuple[Unit, str]] = {}
        unresolved: list = []
        for parsed in parsed_documents:
            target, how = _target_unit(
                parsed, unit=unit, create_units=create_units, parent=parent, report=report
            )
            if target is None:
                unresolved.append(parsed)
                continue
            key = (target.pk, slugify(parsed.service_name))
            groups.setdefault(key, []).append(parsed)
            if key not in resolved or how == "created":
                resolved[key] = (target, how)

        for key, docs in groups.items():
            target, how = resolved[key]
            extra: list[ImportIssue] = []
            if len(docs) > 1:
                merged, extra = merge_parsed(docs)
            else:
                merged = docs[0]
            extra.extend(_unit_issues(target, how, report))
            extra.extend(unknown_bagian_issues(merged, target))
            outcome = standard_import_parsed(
                parsed=merged,
                unit=target,
                actor=actor,
                sources=list(dict.fromkeys(d.source_name for d in docs)),
                extra_issues=extra,
            )
            outcome.unit_resolved_by = how
            report.outcomes.append(outcome)

        for parsed in unresolved:
            report.outcomes.append(_skipped(parsed, create_units=create_units))

    try:
        with transaction.atomic():
            _run()
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report
