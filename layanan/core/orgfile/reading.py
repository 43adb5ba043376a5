"""Reading an organisation file: :func:`parse_organisation` checks the TOML, the top keys, each
unit (its fields, parent and office hours: :func:`unit_spec`, also used for the first-run page's
single units) and the members (:mod:`.members`), and returns the units in tree order or raises
with every problem found.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_slug
from django.utils.translation import gettext as _

from layanan.core.models import TimeZone, UnitKind

from .members import member_specs
from .schema import (
    HOURS_RE,
    ORGANISATION_KEYS,
    TEXT_FIELDS,
    TOP_KEYS,
    UNIT_KEYS,
    WEEKDAYS,
    ZONE_SHORTHANDS,
    FileProblem,
    OrganisationFileError,
    OrganisationSpec,
    SourceMap,
    UnitSpec,
    text_value,
)


def parse_organisation(text: str) -> OrganisationSpec:
    """Validate a whole organisation file; raises :class:`OrganisationFileError` listing every
    problem with its line, or returns the units in tree order."""
    data = _load_toml(text)
    source = SourceMap(text)
    problems: list[FileProblem] = []

    _check_top_keys(data, source, problems)
    raw_org = data.get("organisation")
    if not isinstance(raw_org, dict):
        problems.append(FileProblem(None, _("the file has no [organisation] table")))
        raise OrganisationFileError(problems)
    raw_units = data.get("unit", [])
    if not isinstance(raw_units, list) or not all(isinstance(u, dict) for u in raw_units):
        problems.append(
            FileProblem(source.key("", 0, "unit"), _("units are written as [[unit]] tables"))
        )
        raise OrganisationFileError(problems)

    org = unit_spec(raw_org, "organisation", 0, source, problems)
    units = [unit_spec(raw, "unit", i, source, problems) for i, raw in enumerate(raw_units)]
    if not org.fields.get("time_zone"):
        problems.append(
            FileProblem(
                source.table("organisation"),
                _("the organisation needs a time_zone (WIB, WITA or WIT)"),
            )
        )

    seen = _unique_slugs([org, *units], problems)
    _check_parents(units, org, seen, source, problems)

    members = member_specs(data.get("member", []), set(seen), source, problems)

    ordered = _tree_order(org, units, problems) if not problems else [org]
    if problems:
        raise OrganisationFileError(problems)
    return OrganisationSpec(units=ordered, members=members)


def _load_toml(text: str) -> dict:
    """The file's TOML; a syntax error raises :class:`OrganisationFileError` with its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            found = re.search(r"line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        reason = getattr(exc, "msg", None) or re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise OrganisationFileError(
            [FileProblem(line, _("not valid TOML: %(reason)s") % {"reason": reason})]
        ) from exc
    return data


def _check_top_keys(data: dict, source: SourceMap, problems: list[FileProblem]) -> None:
    """Only [organisation], [[unit]] and [[member]] belong at the top of the file."""
    for key in data:
        if key not in TOP_KEYS:
            problems.append(
                FileProblem(
                    source.key(key, 0, key) or source.table(key),
                    _(
                        "unknown key “%(key)s” (expected [organisation], [[unit]] and "
                        "[[member]] tables)"
                    )
                    % {"key": key},
                )
            )


def _unique_slugs(specs: list[UnitSpec], problems: list[FileProblem]) -> dict[str, UnitSpec]:
    """The units by slug; a slug used twice is a problem (the first one counts)."""
    seen: dict[str, UnitSpec] = {}
    for spec in specs:
        if not spec.slug:
            continue
        if spec.slug in seen:
            problems.append(
                FileProblem(
                    spec.line,
                    _("the slug “%(slug)s” is used twice (first on line %(first)s)")
                    % {"slug": spec.slug, "first": seen[spec.slug].line},
                )
            )
        else:
            seen[spec.slug] = spec
    return seen


def _check_parents(
    units: list[UnitSpec],
    org: UnitSpec,
    seen: dict[str, UnitSpec],
    source: SourceMap,
    problems: list[FileProblem],
) -> None:
    """Every unit's parent is a unit of the file (none given: the organisation), not itself."""
    for index, spec in enumerate(units):
        if spec.parent is None:
            spec.parent = org.slug
        elif spec.parent not in seen:
            problems.append(
                FileProblem(
                    source.key("unit", index, "parent"),
                    _("unknown parent “%(parent)s”: no unit in this file has that slug")
                    % {"parent": spec.parent},
                )
            )
        elif spec.parent == spec.slug:
            problems.append(
                FileProblem(
                    source.key("unit", index, "parent"), _("a unit cannot be its own parent")
                )
            )


def _tree_order(
    org: UnitSpec, units: list[UnitSpec], problems: list[FileProblem]
) -> list[UnitSpec]:
    """The units parents first; units in a loop of parents are problems."""
    ordered: list[UnitSpec] = [org]
    placed = {org.slug}
    remaining = list(units)
    while remaining:
        ready = [u for u in remaining if u.parent in placed]
        if not ready:
            for spec in remaining:
                problems.append(
                    FileProblem(
                        spec.line,
                        _("“%(slug)s” is in a loop of parents and never reaches the top")
                        % {"slug": spec.slug},
                    )
                )
            break
        for spec in ready:
            ordered.append(spec)
            placed.add(spec.slug)
        remaining = [u for u in remaining if u.slug not in placed]
    return ordered


def unit_spec(
    raw: dict, kind: str, index: int, source: SourceMap, problems: list[FileProblem]
) -> UnitSpec:
    line = source.table(kind, index)
    allowed = ORGANISATION_KEYS if kind == "organisation" else UNIT_KEYS

    def problem(key: str | None, message: str, within: str = "") -> None:
        where = source.key(kind, index, key, within=within) if key else line
        problems.append(FileProblem(where, message))

    for key in raw:
        if key not in allowed:
            problem(
                key,
                _("unknown key “%(key)s” (allowed: %(allowed)s)")
                % {"key": key, "allowed": ", ".join(sorted(allowed))},
            )
    fields: dict[str, str] = {}
    for key, limit in TEXT_FIELDS.items():
        if key not in raw:
            continue
        value = text_value(raw[key], key, limit, problem)
        if value is not None:
            fields[key] = value
    for key in ("slug", "name"):
        if key not in raw or (isinstance(raw[key], str) and not raw[key].strip()):
            problem(key, _("“%(key)s” is required") % {"key": key})
    slug = _check_unit_fields(fields, kind, problem)
    parent = _parent_slug(raw, kind, problem)
    hours = None
    if "hours" in raw:
        hours = _hours(
            raw["hours"], lambda day, message: problem(day or "hours", message, within="hours")
        )
    for key in set(TEXT_FIELDS) - {"slug"}:
        fields.setdefault(key, "")
    line = source.key(kind, index, "slug") if "slug" in raw else line
    return UnitSpec(slug=slug, parent=parent, fields=fields, hours=hours, line=line)


def _parent_slug(raw: dict, kind: str, problem: Callable[..., None]) -> str | None:
    """The ``parent`` a unit names (None: none given, or the organisation itself)."""
    if kind == "organisation" or "parent" not in raw:
        return None
    if isinstance(raw["parent"], str) and raw["parent"].strip():
        return raw["parent"].strip()
    problem("parent", _("“parent” must be the slug of another unit, in quotes"))
    return None


def _check_unit_fields(fields: dict[str, str], kind: str, problem: Callable[..., None]) -> str:
    """Check a unit's slug, kind, time zone and e-mail in ``fields`` (filling in the default
    kind and the full time zone name); returns the slug, taken out of ``fields``."""
    slug = fields.pop("slug", "")
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            problem(
                "slug",
                _("the slug “%(slug)s” may contain only letters, digits, - and _") % {"slug": slug},
            )
    if "kind" in fields:
        if fields["kind"] not in UnitKind.values:
            problem(
                "kind",
                _("unknown kind “%(kind)s” (allowed: %(allowed)s)")
                % {"kind": fields["kind"], "allowed": ", ".join(UnitKind.values)},
            )
    else:
        fields["kind"] = UnitKind.GOVERNMENT if kind == "organisation" else UnitKind.DIVISION
    if fields.get("time_zone"):
        zone = ZONE_SHORTHANDS.get(fields["time_zone"].upper(), fields["time_zone"])
        if zone not in TimeZone.values:
            problem(
                "time_zone",
                _("“time_zone”: unknown time zone “%(zone)s” (use WIB, WITA, WIT or %(names)s)")
                % {"zone": fields["time_zone"], "names": ", ".join(TimeZone.values)},
            )
        else:
            fields["time_zone"] = zone
    if fields.get("email"):
        try:
            EmailValidator()(fields["email"])
        except ValidationError:
            problem("email", _("“%(email)s” is not an e-mail address") % {"email": fields["email"]})
    return slug


def _hours(raw, problem) -> dict[int, tuple[dt.time, dt.time] | None] | None:
    if not isinstance(raw, dict):
        problem(None, _('“hours” is a table: mon = "07:30-16:00", …, sat = "closed"'))
        return None
    failed = False
    week: dict[int, tuple[dt.time, dt.time] | None] = dict.fromkeys(range(7))
    for key, value in raw.items():
        if key not in WEEKDAYS:
            failed = True
            problem(
                key,
                _("unknown day “%(day)s” in hours (use %(days)s)")
                % {"day": key, "days": ", ".join(WEEKDAYS)},
            )
            continue
        if not isinstance(value, str):
            failed = True
            problem(key, _('hours for %(day)s must be text such as "07:30-16:00"') % {"day": key})
            continue
        if value.strip().lower() in {"closed", "tutup", ""}:
            continue
        match = HOURS_RE.match(value)
        times = None
        if match:
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                times = (dt.time(h1, m1), dt.time(h2, m2))
            except ValueError:
                times = None
        if times is None:
            failed = True
            problem(
                key,
                _('hours for %(day)s: “%(value)s” is not like "07:30-16:00" or "closed"')
                % {"day": key, "value": value},
            )
            continue
        if times[1] <= times[0]:
            failed = True
            problem(
                key, _("hours for %(day)s: closing time must be after opening time") % {"day": key}
            )
            continue
        week[WEEKDAYS.index(key)] = times
    if not failed and all(v is None for v in week.values()):
        problem(None, _("these hours never open: leave “hours” out to inherit the unit above"))
    return week
