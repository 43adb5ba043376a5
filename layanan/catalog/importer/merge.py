"""Merge several documents that describe the same service into one :class:`ParsedStandard`.

Offices publish the same standard more than once (a web page with only the service delivery
components, a PDF with all fourteen). :func:`merge_parsed` keeps, per component, the richest
version: the one with more items, then more text; on a tie the earlier document. Parts of the
complaint component (channels, flow, classes) are chosen separately, so a document with the
flow and another with the deadlines both contribute. The unit name and the decree number come
from whichever document has them; contact hints are pooled.

Every component on which the documents disagree (compared without regard to case, spacing and
punctuation) is reported as a ``merged_difference`` issue naming the sources and the winner. The
merged standard keeps the import issues of each document only for the parts taken from it (the
"no decree number" of one document does not survive when another supplies the number).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence

from .results import ImportIssue, ParsedStandard
from .text import norm

__all__ = ["MERGE_GROUPS", "merge_parsed"]

#: Merge unit → the ParsedStandard fields that travel together.
MERGE_GROUPS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_name",),
    "service_name": ("service_name",),
    "decree_number": ("decree_number",),
    "requirements": ("requirements",),
    "procedure": ("procedure",),
    "completion_times": ("completion_times", "completion_note"),
    "fees": ("fees", "fee_note"),
    "products": ("products",),
    "complaint_channels": ("complaint_channels",),
    "complaint_flow": ("complaint_flow",),
    "complaint_classes": ("complaint_classes",),
    "legal_basis": ("legal_basis",),
    "facilities": ("facilities",),
    "competence": ("competence",),
    "supervision": ("supervision",),
    "staffing": ("staff_count", "staff_text"),
    "service_guarantee": ("service_guarantee",),
    "safety_guarantee": ("safety_guarantee",),
    "evaluation": ("evaluation", "meetings_per_month", "surveys_per_year"),
}
# Issue components that belong to a merge group under another name.
_ISSUE_GROUPS = {
    "complaint_handling": ("complaint_channels", "complaint_flow", "complaint_classes"),
}


def _plain(value):
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _content(doc: ParsedStandard, group: str) -> list:
    return [_plain(getattr(doc, name)) for name in MERGE_GROUPS[group]]


def _empty(content: list) -> bool:
    return all(part in (None, "", []) for part in content)


def _richness(content: list) -> tuple[int, int]:
    items = 0
    for part in content:
        if isinstance(part, list):
            items += len(part)
        elif part not in (None, ""):
            items += 1
    return items, len(json.dumps(content, ensure_ascii=False))


def _comparable(content: list) -> str:
    def normalise(value):
        if isinstance(value, str):
            return norm(value)
        if isinstance(value, list):
            return [normalise(v) for v in value]
        if isinstance(value, dict):
            return {k: normalise(v) for k, v in value.items()}
        return value

    return json.dumps(normalise(content), sort_keys=True, ensure_ascii=False)


def _short(value) -> str:
    if isinstance(value, dict):
        value = value.get("text") or value.get("label") or value.get("name") or value
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "…")


def _summary(content: list) -> str:
    """A few words on what one document has for a group, for the difference message."""
    if _empty(content):
        return "nothing"
    first = next(part for part in content if part not in (None, "", []))
    if isinstance(first, list):
        if len(first) <= 2:
            return " + ".join(_short(item) for item in first)
        return f"{len(first)} items"
    return _short(first)


def merge_parsed(docs: Sequence[ParsedStandard]) -> tuple[ParsedStandard, list[ImportIssue]]:
    """One standard from several documents of the same service, and the differences found."""
    if not docs:
        raise ValueError("merge_parsed() needs at least one document")
    docs = list(docs)
    names = [doc.source_name or f"document {i + 1}" for i, doc in enumerate(docs)]
    merged = copy.deepcopy(docs[0])
    merged.source_name = ", ".join(names)
    if len(docs) == 1:
        return merged, []

    winners: dict[str, int] = {}
    differences: list[ImportIssue] = []
    for group, fields_ in MERGE_GROUPS.items():
        contents = [_content(doc, group) for doc in docs]
        best = max(range(len(docs)), key=lambda i: (_richness(contents[i]), -i))
        winners[group] = best
        for name in fields_:
            setattr(merged, name, copy.deepcopy(getattr(docs[best], name)))
        if len({_comparable(content) for content in contents}) > 1:
            sides = "; ".join(f"{names[i]}: {_summary(contents[i])}" for i in range(len(docs)))
            differences.append(
                ImportIssue(
                    code="merged_difference",
                    component=group,
                    message=f"The documents differ in {group} ({sides}); kept {names[best]}.",
                    source=", ".join(names),
                )
            )

    hints: list[str] = []
    for doc in docs:
        hints.extend(h for h in doc.unit_hints if h not in hints)
    merged.unit_hints = hints

    issues: list[ImportIssue] = []
    for index, doc in enumerate(docs):
        for issue in doc.issues:
            groups = _ISSUE_GROUPS.get(issue.component, (issue.component,))
            relevant = [g for g in groups if g in winners]
            if relevant and not any(winners[g] == index for g in relevant):
                continue  # that part of this document was not kept
            if (
                issue.code == "missing"
                and relevant
                and all(not _empty(_content(merged, g)) for g in relevant)
            ):
                continue  # another document supplied what this one lacks
            issues.append(issue)
    merged.issues = issues
    return merged, differences
