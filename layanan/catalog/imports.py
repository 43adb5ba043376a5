"""The import pipeline: documents → parsed standards → grouped per service → stored versions.

Used by ``manage.py import_standard`` and ``manage.py load_demo``. Reading and parsing live in
``layanan.catalog.importer``; storing lives in ``services.standard_import_parsed``. Here we decide
which unit each document belongs to and merge documents that describe the same service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from layanan.core.models import Unit

from .importer.merge import merge_parsed
from .importer.parser import ImportIssue, parse_standard
from .importer.readers import DocumentReadError, read_document
from .services import ImportOutcome, resolve_unit, standard_import_parsed

SUPPORTED_SUFFIXES = {".txt", ".md", ".pdf", ".docx"}


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # documents that could not be read
    dry_run: bool = False

    @property
    def read_count(self) -> int:
        return sum(len(o.sources) for o in self.outcomes)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "services": [o.as_dict() for o in self.outcomes],
            "errors": self.errors,
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


def import_documents(
    paths: list[str | Path],
    *,
    unit: Unit | None = None,
    actor,
    dry_run: bool = False,
) -> ImportReport:
    """Read, parse, group and store. With ``dry_run`` everything is computed, nothing kept."""
    report = ImportReport(dry_run=dry_run)
    groups: dict[tuple[int, str], list] = {}
    resolved: dict[tuple[int, str], tuple[Unit, str]] = {}
    unresolved: list = []
    for path in expand_paths(paths):
        try:
            text = read_document(path)
        except DocumentReadError as exc:
            report.errors.append({"source": str(path), "error": str(exc)})
            continue
        except OSError as exc:
            report.errors.append({"source": str(path), "error": str(exc)})
            continue
        parsed = parse_standard(text, source_name=path.name)
        if unit is not None:
            target, how = unit, "option"
        else:
            target, how = resolve_unit(unit_name=parsed.unit_name, hints=parsed.unit_hints)
        if target is None:
            unresolved.append(parsed)
            continue
        key = (target.pk, slugify(parsed.service_name))
        groups.setdefault(key, []).append(parsed)
        resolved[key] = (target, how)

    def _store() -> None:
        for key, docs in groups.items():
            target, how = resolved[key]
            extra: list[ImportIssue] = []
            if len(docs) > 1:
                merged, extra = merge_parsed(docs)
            else:
                merged = docs[0]
            if how == "contact":
                extra.append(
                    ImportIssue(
                        code="unit_inferred",
                        component="unit",
                        message=(
                            f"No unit named in the document; assigned to {target.name} "
                            "because it lists that unit's contacts."
                        ),
                    )
                )
            outcome = standard_import_parsed(
                parsed=merged,
                unit=target,
                actor=actor,
                sources=[d.source_name for d in docs],
                extra_issues=extra,
            )
            outcome.unit_resolved_by = how
            report.outcomes.append(outcome)

    if dry_run:
        try:
            with transaction.atomic():
                _store()
                raise _DryRunRollback
        except _DryRunRollback:
            pass
    else:
        _store()

    for parsed in unresolved:
        report.outcomes.append(
            ImportOutcome(
                sources=[parsed.source_name],
                service_name=parsed.service_name,
                action="skipped",
                missing=list(parsed.missing_components()),
                issues=[i.as_dict() for i in parsed.issues]
                + [
                    {
                        "code": "unit_unknown",
                        "component": "unit",
                        "message": "The document names no known unit; use --unit SLUG.",
                    }
                ],
            )
        )
    return report
