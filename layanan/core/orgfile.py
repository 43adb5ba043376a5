"""Organisation files: the unit tree, contacts, office hours, time zones and staff roles as data.

``parse_organisation(text)`` validates a whole file and returns an :class:`OrganisationSpec`
or raises :class:`OrganisationFileError` with *every* problem found, each with its line.
``organisation_load(spec=...)`` writes it in one transaction: units are matched by slug, created
or updated, never deleted (units that are in the database but not in the file are reported).
Members (``[[member]]``) are matched by username: missing users are created with an unusable
password, their roles (``Membership`` rows) are added and recorded in the audit log; users and
roles the file does not name are kept and reported. Loading the same file twice changes nothing.
The format is documented in docs/adopting.md; the shipped example is
data/organisations/kalbar.toml.

Used by ``manage.py load_organisation``, ``ensure_organisation()`` (tests, ``load_demo``) and the
first-run page (``layanan.core.first_run``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM, require_actor

from .errors import ApplicationError, NotPermitted
from .models import TimeZone, Unit, UnitKind

#: The organisation Layanan ships with (used by ``load_demo`` and the test suite).
SHIPPED_ORGANISATION = Path(settings.BASE_DIR) / "data" / "organisations" / "kalbar.toml"

#: Shorthands accepted for ``time_zone`` besides the IANA names of TimeZone.
ZONE_SHORTHANDS = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Keys a unit (and the organisation, which is the top unit) may have, with their max length.
TEXT_FIELDS = {
    "slug": 80,
    "name": 200,
    "short_name": 60,
    "code": 12,
    "kind": 20,
    "time_zone": 40,
    "address": 2000,
    "phone": 60,
    "whatsapp": 40,
    "email": 254,
    "website": 200,
}
UNIT_KEYS = {*TEXT_FIELDS, "parent", "hours"}
ORGANISATION_KEYS = set(TEXT_FIELDS) | {"hours"}
TOP_KEYS = {"organisation", "unit", "member"}
#: Keys of a ``[[member]]`` table and of one entry of its ``roles`` list.
MEMBER_KEYS = {"username", "name", "email", "unit", "role", "roles"}
ROLE_KEYS = {"unit", "role"}
#: Tables written as arrays (``[[unit]]``, ``[[member]]``): their blocks are numbered in order.
ARRAY_TABLES = ("unit", "member")
#: Model fields written from the file (everything but the tree and the hours).
STORED_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "time_zone",
    "address",
    "phone",
    "whatsapp",
    "email",
    "website",
)

_HOURS_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*$")


# --- errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class OrganisationFileError(ApplicationError):
    """The file is not a valid organisation file; ``problems`` lists each one with its line."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems), "organisation_file_invalid")


# --- where things are in the source text ----------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*(\.\s*[A-Za-z0-9_\-]+\s*)?=")


class SourceMap:
    """Line numbers of tables and keys (tomllib reports them for syntax errors only).

    The file is cut into blocks at table headers; ``[[unit]]`` blocks are numbered in order,
    which is also the order tomllib returns them in. Sub-tables (``[unit.hours]``) belong to
    the ``[[unit]]`` before them.
    """

    def __init__(self, text: str):
        self.blocks: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self.array_lines: dict[str, list[int]] = {name: [] for name in ARRAY_TABLES}
        self.organisation_line: int | None = None
        current: tuple[str, int] = ("", 0)
        start = 1
        lines = text.splitlines()
        spans: dict[tuple[str, int], list[tuple[int, int]]] = {}

        def close(end: int) -> None:
            spans.setdefault(current, []).append((start, end))

        for number, line in enumerate(lines, start=1):
            match = _HEADER_RE.match(line)
            if not match or line.lstrip().startswith("#"):
                continue
            close(number - 1)
            name = match.group(2).replace(" ", "")
            head = name.split(".", 1)[0]
            if match.group(1) == "[[" and name in ARRAY_TABLES:
                self.array_lines[name].append(number)
                current = (name, len(self.array_lines[name]) - 1)
            elif head in ARRAY_TABLES and name != head and self.array_lines[head]:
                current = (head, len(self.array_lines[head]) - 1)
            elif name == "organisation" or name.startswith("organisation."):
                if name == "organisation":
                    self.organisation_line = number
                current = ("organisation", 0)
            else:
                current = (name, 0)
            start = number
        close(len(lines))
        self.blocks = spans
        self.lines = lines

    @property
    def unit_lines(self) -> list[int]:
        return self.array_lines["unit"]

    def table(self, kind: str, index: int = 0) -> int | None:
        if kind in ARRAY_TABLES:
            found = self.array_lines[kind]
            return found[index] if index < len(found) else None
        if kind == "organisation":
            return self.organisation_line
        spans = self.blocks.get((kind, 0))
        return spans[0][0] if spans else None

    def key(self, kind: str, index: int, key: str, *, within: str = "") -> int | None:
        """The line of ``key =`` inside the table (or its sub-tables), else that of ``within``
        (e.g. an inline ``hours = { … }``), else the table's line."""
        found = self._key(kind, index, key)
        if found is None and within:
            found = self._key(kind, index, within)
        return found if found is not None else self.table(kind, index)

    def item(self, kind: str, index: int, key: str, position: int) -> int | None:
        """The line of the ``position``-th inline table of the list ``key = [ {…}, {…} ]``
        (counted by its opening brace), else the line of ``key``."""
        start = self.key(kind, index, key)
        if start is None or self._key(kind, index, key) is None:
            return start
        seen = 0
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and _HEADER_RE.match(text):
                break
            seen += text.split("#", 1)[0].count("{")
            if seen > position:
                return number
        return start

    def _key(self, kind: str, index: int, key: str) -> int | None:
        for first, last in self.blocks.get((kind, index), []):
            for number in range(first, last + 1):
                match = _KEY_RE.match(self.lines[number - 1])
                if match and match.group(1).strip('"') == key:
                    return number
                header = _HEADER_RE.match(self.lines[number - 1])
                if header and header.group(2).replace(" ", "").endswith("." + key):
                    return number
        return None


# --- the validated content ------------------------------------------------------------------


@dataclass
class UnitSpec:
    slug: str
    parent: str | None  # None for the organisation (the top unit)
    fields: dict[str, str]
    hours: dict[int, tuple[dt.time, dt.time] | None] | None  # None: inherits
    line: int | None = None


@dataclass
class MemberSpec:
    username: str
    name: str  # the user's full name
    email: str
    roles: list[tuple[str, str]]  # (unit slug, role), in the file's order
    line: int | None = None


@dataclass
class OrganisationSpec:
    units: list[UnitSpec]  # parents before children, the organisation first
    members: list[MemberSpec] = field(default_factory=list)

    @property
    def organisation(self) -> UnitSpec:
        return self.units[0]


def _text_value(value, key: str, limit: int, problem) -> str | None:
    """``value`` stripped, or None with the problem reported (not text, or too long)."""
    if not isinstance(value, str):
        problem(key, _("“%(key)s” must be text in quotes") % {"key": key})
        return None
    value = value.strip()
    if len(value) > limit:
        problem(
            key,
            _("“%(key)s” is longer than %(limit)d characters") % {"key": key, "limit": limit},
        )
        return None
    return value


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

    org = _unit_spec(raw_org, "organisation", 0, source, problems)
    units = [_unit_spec(raw, "unit", i, source, problems) for i, raw in enumerate(raw_units)]
    if not org.fields.get("time_zone"):
        problems.append(
            FileProblem(
                source.table("organisation"),
                _("the organisation needs a time_zone (WIB, WITA or WIT)"),
            )
        )

    seen = _unique_slugs([org, *units], problems)
    _check_parents(units, org, seen, source, problems)

    members = _member_specs(data.get("member", []), set(seen), source, problems)

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


def _member_specs(
    raw_members, unit_slugs: set[str], source: SourceMap, problems: list[FileProblem]
) -> list[MemberSpec]:
    """Check the ``[[member]]`` tables: who (username, name, e-mail) has which role where."""
    if not isinstance(raw_members, list) or not all(isinstance(m, dict) for m in raw_members):
        problems.append(
            FileProblem(source.key("", 0, "member"), _("members are written as [[member]] tables"))
        )
        return []
    members: list[MemberSpec] = []
    first: dict[str, MemberSpec] = {}
    for index, raw in enumerate(raw_members):
        spec = _member_spec(raw, index, unit_slugs, source, problems)
        if not spec.username:
            continue
        if spec.username in first:
            problems.append(
                FileProblem(
                    spec.line,
                    _(
                        "the member “%(username)s” is written twice (first on line %(first)s); "
                        "give one member several roles with roles = [{ unit = …, role = … }, …]"
                    )
                    % {"username": spec.username, "first": first[spec.username].line},
                )
            )
            continue
        first[spec.username] = spec
        members.append(spec)
    return members


def _member_spec(
    raw: dict, index: int, unit_slugs: set[str], source: SourceMap, problems: list[FileProblem]
) -> MemberSpec:
    def problem(key: str | None, message: str) -> None:
        where = source.key("member", index, key) if key else source.table("member", index)
        problems.append(FileProblem(where, message))

    username, values = _member_values(raw, problem)
    roles: list[tuple[str, str]] = []
    for entry, list_key, position in _role_entries(raw, problem):

        def entry_problem(key: str, message: str, _list=list_key, _at=position) -> None:
            if _list:
                where = source.item("member", index, _list, _at)
            else:
                where = source.key("member", index, key)
            problems.append(FileProblem(where, message))

        unit_role = _entry_role(entry, unit_slugs, entry_problem)
        if unit_role is None:
            continue
        if unit_role in roles:
            entry_problem(
                "role",
                _("“%(username)s” is given the role “%(role)s” in “%(unit)s” twice")
                % {"username": username, "role": unit_role[1], "unit": unit_role[0]},
            )
            continue
        roles.append(unit_role)
    line = source.key("member", index, "username") if "username" in raw else None
    return MemberSpec(
        username=username,
        name=values.get("name", ""),
        email=values.get("email", ""),
        roles=roles,
        line=line or source.table("member", index),
    )


def _member_values(raw: dict, problem: Callable[..., None]) -> tuple[str, dict[str, str]]:
    """A member's keys, user name, name and e-mail checked: (user name, or "" when it is
    missing or invalid; the valid text values by key)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for key in raw:
        if key not in MEMBER_KEYS:
            problem(
                key,
                _("unknown key “%(key)s” (allowed: %(allowed)s)")
                % {"key": key, "allowed": ", ".join(sorted(MEMBER_KEYS))},
            )
    values: dict[str, str] = {}
    for key, limit in (("username", 150), ("name", 150), ("email", 254)):
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problem(key if key in raw else None, _("“%(key)s” is required") % {"key": key})
            continue
        value = _text_value(value, key, limit, problem)
        if value is not None:
            values[key] = value
    username = values.get("username", "")
    if username:
        try:
            user_model.username_validator(username)
        except ValidationError:
            problem(
                "username",
                _("the user name “%(username)s” may contain only letters, digits and @ . + - _")
                % {"username": username},
            )
            username = ""
    if values.get("email"):
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            problem("email", _("“%(email)s” is not an e-mail address") % {"email": values["email"]})
    return username, values


def _role_entries(raw: dict, problem: Callable[..., None]) -> list[tuple[dict, str, int | None]]:
    """A member's role entries as (entry, key for its line, position in ``roles``).

    One role: unit = …, role = …; several: roles = [{ unit = …, role = … }, …]."""
    if "roles" in raw:
        if "unit" in raw or "role" in raw:
            problem(
                "roles",
                _("give either “unit” and “role” or “roles”, not both"),
            )
        elif not isinstance(raw["roles"], list) or not raw["roles"]:
            problem(
                "roles",
                _('“roles” is a list such as [{ unit = "dinas-sosial", role = "handler" }, …]'),
            )
        else:
            return [(entry, "roles", i) for i, entry in enumerate(raw["roles"])]
        return []
    if "unit" in raw or "role" in raw:
        return [({k: raw[k] for k in ("unit", "role") if k in raw}, "", None)]
    problem(None, _("a member needs a “unit” and a “role” (or a list of “roles”)"))
    return []


def _entry_role(
    entry: object, unit_slugs: set[str], entry_problem: Callable[[str, str], None]
) -> tuple[str, str] | None:
    """The (unit, role) one role entry gives; None when it has a problem."""
    from layanan.accounts.models import Role

    if not isinstance(entry, dict):
        entry_problem(
            "roles",
            _('each of “roles” is a table such as { unit = "dinas-sosial", role = "head" }'),
        )
        return None
    for key in entry:
        if key not in ROLE_KEYS:
            entry_problem(
                key,
                _("unknown key “%(key)s” (allowed: %(allowed)s)")
                % {"key": key, "allowed": ", ".join(sorted(ROLE_KEYS))},
            )
    unit, role = entry.get("unit"), entry.get("role")
    ok = True
    for key, value in (("unit", unit), ("role", role)):
        if not isinstance(value, str) or not value.strip():
            entry_problem(key, _("“%(key)s” is required, in quotes") % {"key": key})
            ok = False
    if not ok:
        return None
    unit, role = unit.strip(), role.strip()
    if unit not in unit_slugs:
        entry_problem(
            "unit",
            _("unknown unit “%(unit)s”: no unit in this file has that slug") % {"unit": unit},
        )
        ok = False
    if role not in Role.values:
        entry_problem(
            "role",
            _("unknown role “%(role)s” (allowed: %(allowed)s)")
            % {"role": role, "allowed": ", ".join(Role.values)},
        )
        ok = False
    return (unit, role) if ok else None


def _unit_spec(
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
        value = _text_value(raw[key], key, limit, problem)
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
        match = _HOURS_RE.match(value)
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


# --- writing ----------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # slug → changed fields
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # kept: never deleted by a load
    units: dict[str, Unit] = field(default_factory=dict)
    members_created: list[str] = field(default_factory=list)  # usernames, no password yet
    members_updated: dict[str, list[str]] = field(default_factory=dict)  # username → fields
    members_unchanged: list[str] = field(default_factory=list)
    roles_added: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit
    #: Roles in the database that a file with members does not name: kept, never removed.
    roles_not_in_file: list[tuple[str, str, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.members_created
            or self.members_updated
            or self.roles_added
        )

    def lines(self) -> list[str]:
        out = []
        for slug in self.created:
            out.append(_("created   %(slug)s") % {"slug": slug})
        for slug, names in self.updated.items():
            out.append(
                _("updated   %(slug)s (%(fields)s)") % {"slug": slug, "fields": ", ".join(names)}
            )
        out.append(_("unchanged: %(count)d") % {"count": len(self.unchanged)})
        for slug in self.not_in_file:
            out.append(
                _("not in the file, kept: %(slug)s (delete it in the admin if it should go)")
                % {"slug": slug}
            )
        for username in self.members_created:
            out.append(
                _(
                    "member created   %(username)s (no password yet: an administrator sets the "
                    "first one in the admin)"
                )
                % {"username": username}
            )
        for username, names in self.members_updated.items():
            out.append(
                _("member updated   %(username)s (%(fields)s)")
                % {"username": username, "fields": ", ".join(names)}
            )
        for username, role, unit in self.roles_added:
            out.append(
                _("role given   %(username)s: %(role)s in %(unit)s")
                % {"username": username, "role": role, "unit": unit}
            )
        if self.members_created or self.members_updated or self.members_unchanged:
            out.append(_("members unchanged: %(count)d") % {"count": len(self.members_unchanged)})
        for username, role, unit in self.roles_not_in_file:
            out.append(
                _(
                    "role not in the file, kept: %(username)s: %(role)s in %(unit)s (remove it "
                    "in the admin if it should go)"
                )
                % {"username": username, "role": role, "unit": unit}
            )
        return out


class _DryRun(Exception):
    pass


def organisation_load(*, spec: OrganisationSpec, actor=SYSTEM, dry_run: bool = False) -> LoadReport:
    """Create or update the units of ``spec`` by slug, then its members by username, in one
    transaction.

    Never deletes a unit (cases, staff and standards hang on units); units in the database that
    the file does not name are listed in ``not_in_file``. Never deletes a user or a role either:
    new users get an unusable password, each role given is recorded in the audit log
    (``membership_added``, by ``actor``), and roles the file does not name are listed in
    ``roles_not_in_file``. With ``dry_run`` the report says what a load would do and nothing is
    kept. ``actor`` is ``SYSTEM`` (a command, the test fixture) or a superuser: only the
    administrator of the installation reshapes the organisation.
    """
    if require_actor(actor) is not SYSTEM and not actor.is_superuser:
        raise NotPermitted(_("Only an administrator may load an organisation file."))
    report = LoadReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(spec, report, actor)
            _write_members(spec, report, actor)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _write(spec: OrganisationSpec, report: LoadReport, actor) -> None:
    from layanan.workdays.models import OfficeHours
    from layanan.workdays.services import office_hours_changed

    other_roots = (
        Unit.objects.filter(parent__isnull=True)
        .exclude(slug=spec.organisation.slug)
        .values_list("slug", flat=True)
    )
    if other_roots and not Unit.objects.filter(slug=spec.organisation.slug).exists():
        raise ApplicationError(
            _(
                "This installation already holds the organisation “%(existing)s”; a file can "
                "only describe that one (its [organisation] slug must be “%(existing)s”)."
            )
            % {"existing": other_roots[0]},
            "another_organisation",
        )
    existing = {u.slug: u for u in Unit.objects.select_for_update().order_by("path")}
    positions: dict[str | None, int] = {}
    units: dict[str, Unit] = {}
    for item in spec.units:
        parent = units[item.parent] if item.parent else None
        position = positions.get(item.parent, 0)
        positions[item.parent] = position + 1
        wanted = {**item.fields, "position": position}
        unit = existing.get(item.slug)
        if unit is None:
            unit = Unit(slug=item.slug, parent=parent, **wanted)
            unit.full_clean(validate_unique=False, validate_constraints=False)
            unit.save()
            report.created.append(item.slug)
        else:
            changed = [name for name, value in wanted.items() if getattr(unit, name) != value]
            if unit.parent_id != (parent.pk if parent else None):
                changed.append("parent")
            if changed:
                for name, value in wanted.items():
                    setattr(unit, name, value)
                unit.parent = parent
                unit.save()
                report.updated[item.slug] = changed
        units[item.slug] = unit
        current = {
            row.weekday: (row.opens, row.closes) for row in OfficeHours.objects.filter(unit=unit)
        }
        target = {} if item.hours is None else {d: h for d, h in item.hours.items() if h}
        if current != target:
            OfficeHours.objects.filter(unit=unit).delete()
            OfficeHours.objects.bulk_create(
                OfficeHours(unit=unit, weekday=day, opens=hours[0], closes=hours[1])
                for day, hours in sorted(target.items())
            )
            if item.slug not in report.created:
                report.updated.setdefault(item.slug, []).append("hours")
                office_hours_changed(actor=actor, unit=unit)
        if item.slug not in report.created and item.slug not in report.updated:
            report.unchanged.append(item.slug)
    report.not_in_file = [slug for slug in existing if slug not in units]
    report.units = units


def _write_members(spec: OrganisationSpec, report: LoadReport, actor) -> None:
    """Create missing users (unusable password), bring the named ones' full name and e-mail
    in line with the file, add the roles they lack and record each in the audit log."""
    if not spec.members:
        return
    from django.contrib.auth import get_user_model

    from layanan.accounts.models import Membership

    from .audit import audit_log
    from .models import AuditAction

    user_model = get_user_model()
    usernames = [member.username for member in spec.members]
    users = {
        user.username: user
        for user in user_model.objects.select_for_update().filter(username__in=usernames)
    }
    for member in spec.members:
        user = users.get(member.username)
        wanted = {"full_name": member.name, "email": member.email}
        if user is None:
            user = user_model(username=member.username, **wanted)
            user.set_unusable_password()  # never a default password
            user.full_clean(validate_unique=False, validate_constraints=False)
            user.save()
            report.members_created.append(member.username)
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            if changed:
                for name in changed:
                    setattr(user, name, wanted[name])
                user.save(update_fields=changed)
                report.members_updated[member.username] = changed
        users[member.username] = user
        added = False
        for unit_slug, role in member.roles:
            unit = report.units[unit_slug]
            membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
            if created:
                added = True
                audit_log(
                    actor=actor,
                    action=AuditAction.MEMBERSHIP_ADDED,
                    target=membership,
                    unit=unit,
                    data={
                        "member": member.username,
                        "role": role,
                        "unit_slug": unit_slug,
                        "source": "organisation_file",
                    },
                )
                report.roles_added.append((member.username, role, unit_slug))
        touched = member.username in report.members_created or member.username in (
            report.members_updated
        )
        if not added and not touched:
            report.members_unchanged.append(member.username)
    named = {(m.username, role, slug) for m in spec.members for slug, role in m.roles}
    report.roles_not_in_file = [
        row
        for row in Membership.objects.order_by("user__username", "unit__path", "role").values_list(
            "user__username", "role", "unit__slug"
        )
        if row not in named
    ]


def load_organisation_file(path: str | Path, *, actor=SYSTEM, dry_run: bool = False) -> LoadReport:
    """Read, validate and load one file (UTF-8)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OrganisationFileError(
            [FileProblem(None, _("cannot read %(path)s: %(error)s") % {"path": path, "error": exc})]
        ) from exc
    return organisation_load(spec=parse_organisation(text), actor=actor, dry_run=dry_run)


# --- single units (the first-run page's small forms) --------------------------------------------


def validate_unit_values(values: dict, *, organisation: bool = False) -> UnitSpec:
    """Check one unit given as a mapping (a form's data) by the rules of the file format; raises
    :class:`OrganisationFileError` (problems without lines)."""
    problems: list[FileProblem] = []
    raw = {key: value for key, value in values.items() if value not in ("", None)}
    spec = _unit_spec(raw, "organisation" if organisation else "unit", 0, SourceMap(""), problems)
    if organisation and not spec.fields.get("time_zone"):
        problems.append(
            FileProblem(None, _("the organisation needs a time_zone (WIB, WITA or WIT)"))
        )
    if spec.slug and Unit.objects.filter(slug=spec.slug).exists():
        problems.append(
            FileProblem(None, _("the slug “%(slug)s” is already used") % {"slug": spec.slug})
        )
    if not organisation and spec.parent and not Unit.objects.filter(slug=spec.parent).exists():
        problems.append(
            FileProblem(None, _("unknown parent “%(parent)s”") % {"parent": spec.parent})
        )
    if problems:
        raise OrganisationFileError(problems)
    return spec


@transaction.atomic
def unit_create(*, actor, values: dict, organisation: bool = False) -> Unit:
    """Create one unit (or the organisation itself, the top unit) from validated values."""
    if actor is None or not actor.is_superuser:
        raise NotPermitted(_("Only an administrator may change the organisation."))
    spec = validate_unit_values(values, organisation=organisation)
    if organisation:
        if Unit.objects.filter(parent__isnull=True).exists():
            raise ApplicationError(
                _("This installation already has an organisation."), "another_organisation"
            )
        parent = None
    else:
        parent = Unit.objects.get(slug=spec.parent)
    position = Unit.objects.filter(parent=parent).count()
    unit = Unit(slug=spec.slug, parent=parent, position=position, **spec.fields)
    unit.full_clean(validate_constraints=False)
    unit.save()
    return unit
